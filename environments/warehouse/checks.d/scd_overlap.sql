-- scd_overlap: active versions of one customer must not overlap (valid_to exclusive)
SELECT a.customer_id, a.customer_sk, b.customer_sk FROM dim_customer a JOIN dim_customer b
  ON a.customer_id = b.customer_id AND a.customer_sk < b.customer_sk
WHERE a.is_deleted = 0 AND b.is_deleted = 0 AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to
