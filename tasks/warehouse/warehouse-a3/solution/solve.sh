#!/bin/bash
# Oracle: version valid on the day = valid_from <= d < valid_to (valid_to exclusive), active versions only.
set -euo pipefail
mkdir -p /output
whq sql "SELECT customer_id, region FROM dim_customer WHERE is_deleted = 0 AND segment = 'Gold'
         AND valid_from <= '2024-11-30' AND '2024-11-30' < valid_to ORDER BY customer_id" > /output/gold_customers.csv
