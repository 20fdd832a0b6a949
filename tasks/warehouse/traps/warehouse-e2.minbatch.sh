#!/bin/bash
# Third shortcut for warehouse-e2: soft-delete with whq, but keep the duplicate with the smallest batch_id
# (the re-run batch B2025-0311-R1 sorts first although it was loaded last).
whq softdelete fact_order_line --reason dup_order_line --where "
  batch_id <> (SELECT MIN(l2.batch_id) FROM fact_order_line l2 WHERE l2.order_line_id = fact_order_line.order_line_id AND l2.is_deleted = 0)"
whq softdelete fact_return --reason orphan_return --where "
  NOT EXISTS (SELECT 1 FROM fact_order_line l WHERE l.order_line_id = fact_return.order_line_id AND l.is_deleted = 0)"
whq check
