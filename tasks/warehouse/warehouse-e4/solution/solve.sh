#!/bin/bash
# Oracle: FY2025-Q2 = 2024-10-01 .. 2024-12-31; version valid on day d: valid_from <= d < valid_to, is_deleted = 0.
set -euo pipefail
mkdir -p /output
whq sql "WITH a AS (SELECT customer_id, segment FROM dim_customer WHERE is_deleted = 0 AND valid_from <= '2024-10-01' AND '2024-10-01' < valid_to),
              b AS (SELECT customer_id, segment FROM dim_customer WHERE is_deleted = 0 AND valid_from <= '2024-12-31' AND '2024-12-31' < valid_to)
         SELECT a.customer_id, a.segment AS segment_start, b.segment AS segment_end FROM a JOIN b USING (customer_id)
         WHERE a.segment <> b.segment ORDER BY 1" > /output/segment_moves.csv
