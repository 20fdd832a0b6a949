#!/bin/bash
# Oracle: warehouse net sales by calendar month of the event date (fiscal periods are calendar months),
# GL: flx dump --signed (postable only, R negated), account 410000, natural sign = credit - debit.
set -euo pipefail
mkdir -p /output
cat > /tmp/wh.sql <<'SQL'
WITH lines AS (
  SELECT l.order_line_id, l.order_date, l.qty, l.unit_price_cents, l.discount_bp
  FROM fact_order_line l
  JOIN dim_customer c ON c.customer_id = l.customer_id AND l.order_date >= c.valid_from AND l.order_date < c.valid_to AND c.is_deleted = 0
  JOIN dim_product p ON p.product_id = l.product_id AND l.order_date >= p.valid_from AND l.order_date < p.valid_to AND p.is_deleted = 0
  WHERE l.is_deleted = 0),
ev AS (
  SELECT order_date AS d, (qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000 AS cents FROM lines
  UNION ALL
  SELECT r.return_date, -((r.qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000)
  FROM fact_return r JOIN lines ON lines.order_line_id = r.order_line_id WHERE r.is_deleted = 0)
SELECT substr(d, 1, 7) AS ym, SUM(cents) FROM ev WHERE d BETWEEN '2024-10-01' AND '2024-12-31' GROUP BY 1 ORDER BY 1;
SQL
whq sql -f /tmp/wh.sql > /tmp/wh.csv
flx dump --signed /data/NWDE-GL-FY2025-Q2.flx 2>/dev/null > /tmp/gl.csv
python3 - <<'PY'
import csv
from decimal import Decimal
wh = {r["ym"].replace("-", ""): int(r["SUM(cents)"]) for r in csv.DictReader(open("/tmp/wh.csv"))}
gl = {}
for r in csv.DictReader(open("/tmp/gl.csv")):
    if r["account"] == "410000" and "20241001" <= r["date"] <= "20241231":
        gl[r["date"][:6]] = gl.get(r["date"][:6], 0) - int(r["signed_amount_minor"])
with open("/output/recon.csv", "w") as f:
    f.write("period,warehouse_net_sales_eur,gl_product_sales_eur,difference_eur\n")
    for ym, p in (("202410", "FY2025-P04"), ("202411", "FY2025-P05"), ("202412", "FY2025-P06")):
        w, g = Decimal(wh.get(ym, 0)) / 100, Decimal(gl.get(ym, 0)) / 100
        f.write("%s,%s,%s,%s\n" % (p, w, g, w - g))
PY
