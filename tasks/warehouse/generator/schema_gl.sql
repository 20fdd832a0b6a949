-- General-ledger corner of the Northwind warehouse (loaded from FLX extracts).
CREATE TABLE meta_batch(batch_id TEXT PRIMARY KEY, source TEXT NOT NULL, loaded_at TEXT NOT NULL,
  is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
CREATE TABLE meta_audit(audit_id INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, row_ref TEXT NOT NULL,
  action TEXT NOT NULL, reason TEXT, actor TEXT);
CREATE TABLE meta_view_registry(view_name TEXT PRIMARY KEY, owner TEXT NOT NULL, grain TEXT NOT NULL,
  sql_sha256 TEXT NOT NULL, version INTEGER NOT NULL);
-- amount_minor: signed minor units of `currency`, debit positive (reversals already negated)
CREATE TABLE fact_gl_posting(posting_id INTEGER PRIMARY KEY, entity TEXT NOT NULL, seq INTEGER NOT NULL, posting_date TEXT NOT NULL,
  account TEXT NOT NULL, cost_centre TEXT NOT NULL, amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, batch_id TEXT NOT NULL,
  source_ref TEXT, is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
