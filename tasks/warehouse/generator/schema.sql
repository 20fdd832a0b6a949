-- Northwind sales warehouse (SQLite). Conventions: /opt/northwind/wiki/data/Warehouse-conventions.md
CREATE TABLE meta_batch(batch_id TEXT PRIMARY KEY, source TEXT NOT NULL, loaded_at TEXT NOT NULL,
  is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
CREATE TABLE meta_audit(audit_id INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, row_ref TEXT NOT NULL,
  action TEXT NOT NULL, reason TEXT, actor TEXT);
CREATE TABLE meta_view_registry(view_name TEXT PRIMARY KEY, owner TEXT NOT NULL, grain TEXT NOT NULL,
  sql_sha256 TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE cal_fiscal_week(fiscal_year INTEGER NOT NULL, fiscal_week INTEGER NOT NULL, week_start TEXT NOT NULL,
  week_end TEXT NOT NULL, is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
CREATE TABLE dim_customer(customer_sk INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT, segment TEXT, region TEXT,
  valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
CREATE TABLE dim_product(product_sk INTEGER PRIMARY KEY, product_id TEXT NOT NULL, name TEXT, category TEXT,
  list_price_cents INTEGER, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
CREATE TABLE fact_order_line(order_line_id TEXT NOT NULL, order_id TEXT NOT NULL, order_date TEXT NOT NULL, customer_id TEXT NOT NULL,
  product_id TEXT NOT NULL, qty INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL, discount_bp INTEGER NOT NULL DEFAULT 0,
  batch_id TEXT NOT NULL, is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
CREATE TABLE fact_return(return_id TEXT NOT NULL, order_line_id TEXT NOT NULL, return_date TEXT NOT NULL, qty INTEGER NOT NULL,
  batch_id TEXT NOT NULL, is_deleted INTEGER NOT NULL DEFAULT 0, deleted_reason TEXT);
