#!/bin/bash
# Oracle: lines and returns with is_deleted = 0 (facts AND dims), SCD2 version valid at the order date
# (valid_to exclusive), per-line half-up rounding, returns in the week of return_date, weeks from cal_fiscal_week.
set -euo pipefail
mkdir -p /output
cat > /tmp/q.sql <<'SQL'
WITH lines AS (
  SELECT l.order_line_id, l.order_date, l.qty, l.unit_price_cents, l.discount_bp, c.region
  FROM fact_order_line l
  JOIN dim_customer c ON c.customer_id = l.customer_id AND l.order_date >= c.valid_from AND l.order_date < c.valid_to AND c.is_deleted = 0
  WHERE l.is_deleted = 0),
ev AS (
  SELECT order_date AS d, region, (qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000 AS cents FROM lines
  UNION ALL
  SELECT r.return_date, region, -((r.qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000)
  FROM fact_return r JOIN lines ON lines.order_line_id = r.order_line_id WHERE r.is_deleted = 0)
SELECT printf('FY%d-W%02d', w.fiscal_year, w.fiscal_week) AS fiscal_week, ev.region, SUM(ev.cents) AS net_sales_cents
FROM ev JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0
WHERE w.fiscal_year = 2025 AND w.fiscal_week BETWEEN 10 AND 13
GROUP BY w.fiscal_year, w.fiscal_week, ev.region ORDER BY 1, 2;
SQL
whq sql -f /tmp/q.sql > /output/region_weekly.csv
