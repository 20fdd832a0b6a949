#!/bin/bash
# Oracle: nw-pg start, then the same net-sales logic in PostgreSQL (bigint arithmetic, date columns),
# published with `whq --pg publish` so it lands in meta_view_registry.
set -euo pipefail
nw-pg start
cat > /tmp/rpt_sales__region_fweek.sql <<'SQL'
-- view: rpt_sales__region_fweek
-- owner: sales-analytics
-- grain: fiscal_year, fiscal_week, region
WITH lines AS (
  SELECT l.order_line_id, l.order_date, l.qty::bigint AS qty, l.unit_price_cents::bigint AS unit_price_cents,
         l.discount_bp::bigint AS discount_bp, c.region
  FROM fact_order_line l
  JOIN dim_customer c ON c.customer_id = l.customer_id AND l.order_date >= c.valid_from AND l.order_date < c.valid_to AND c.is_deleted = 0
  WHERE l.is_deleted = 0),
ev AS (
  SELECT order_date AS d, region, (qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000 AS cents FROM lines
  UNION ALL
  SELECT r.return_date, region, -((r.qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000)
  FROM fact_return r JOIN lines ON lines.order_line_id = r.order_line_id WHERE r.is_deleted = 0)
SELECT w.fiscal_year, w.fiscal_week, ev.region, SUM(ev.cents)::bigint AS net_sales_cents
FROM ev JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0
GROUP BY w.fiscal_year, w.fiscal_week, ev.region
SQL
whq --pg publish /tmp/rpt_sales__region_fweek.sql
