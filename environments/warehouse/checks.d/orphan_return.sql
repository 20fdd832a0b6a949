-- orphan_return: every active return needs an active order line
SELECT r.return_id, r.order_line_id FROM fact_return r
WHERE r.is_deleted = 0
  AND NOT EXISTS (SELECT 1 FROM fact_order_line l WHERE l.order_line_id = r.order_line_id AND l.is_deleted = 0)
