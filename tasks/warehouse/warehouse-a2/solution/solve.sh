#!/bin/bash
# Oracle: annotated view file (view/owner/grain header) published with `whq publish` (registers it).
set -euo pipefail
cat > /tmp/rpt_sales__category_fweek.sql <<'SQL'
-- view: rpt_sales__category_fweek
-- owner: sales-analytics
-- grain: fiscal_year, fiscal_week, category
WITH lines AS (
  SELECT l.order_line_id, l.order_date, l.qty, l.unit_price_cents, l.discount_bp, p.category
  FROM fact_order_line l
  JOIN dim_product p ON p.product_id = l.product_id AND l.order_date >= p.valid_from AND l.order_date < p.valid_to AND p.is_deleted = 0
  WHERE l.is_deleted = 0),
ev AS (
  SELECT order_date AS d, category, (qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000 AS cents FROM lines
  UNION ALL
  SELECT r.return_date, category, -((r.qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000)
  FROM fact_return r JOIN lines ON lines.order_line_id = r.order_line_id WHERE r.is_deleted = 0)
SELECT w.fiscal_year, w.fiscal_week, ev.category, SUM(ev.cents) AS net_sales_cents
FROM ev JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0
GROUP BY w.fiscal_year, w.fiscal_week, ev.category
SQL
whq publish /tmp/rpt_sales__category_fweek.sql
