#!/bin/bash
# Oracle: policy from the Data-quality gate page: duplicates -> keep the row of the batch with the earliest
# loaded_at, soft-delete the others (reason dup_order_line); orphan returns -> soft-delete (reason
# orphan_return). Always through `whq softdelete` (audited). Checks are never touched.
set -euo pipefail
whq check || true
whq softdelete fact_order_line --reason dup_order_line --where "
  rowid IN (SELECT l.rowid FROM fact_order_line l JOIN meta_batch b ON b.batch_id = l.batch_id
            WHERE l.is_deleted = 0 AND EXISTS (
              SELECT 1 FROM fact_order_line l2 JOIN meta_batch b2 ON b2.batch_id = l2.batch_id
              WHERE l2.order_line_id = l.order_line_id AND l2.is_deleted = 0
                AND (b2.loaded_at < b.loaded_at OR (b2.loaded_at = b.loaded_at AND l2.rowid < l.rowid))))"
whq softdelete fact_return --reason orphan_return --where "
  NOT EXISTS (SELECT 1 FROM fact_order_line l WHERE l.order_line_id = fact_return.order_line_id AND l.is_deleted = 0)"
whq check
