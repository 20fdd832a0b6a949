-- dup_order_line: an order line may be active in one row only
SELECT order_line_id, COUNT(*) FROM fact_order_line WHERE is_deleted = 0 GROUP BY order_line_id HAVING COUNT(*) > 1
