-- Northwind net-sales events (one row per sale and per return), attribution as of the order date.
-- Append your own SELECT ... FROM ev [JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0]
WITH lines AS (
  SELECT l.order_line_id, l.order_date, l.qty, l.unit_price_cents, l.discount_bp, c.region, c.segment, p.category
  FROM fact_order_line l
  JOIN dim_customer c ON c.customer_id = l.customer_id AND l.order_date >= c.valid_from AND l.order_date < c.valid_to AND c.is_deleted = 0
  JOIN dim_product p ON p.product_id = l.product_id AND l.order_date >= p.valid_from AND l.order_date < p.valid_to AND p.is_deleted = 0
  WHERE l.is_deleted = 0),
ev AS (
  SELECT order_date AS d, region, segment, category, (qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000 AS cents FROM lines
  UNION ALL
  SELECT r.return_date, region, segment, category, -((r.qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000)
  FROM fact_return r JOIN lines ON lines.order_line_id = r.order_line_id WHERE r.is_deleted = 0)
