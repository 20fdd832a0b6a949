#!/usr/bin/env python3
"""Generate the Northwind intranet wiki dump shipped in both Northwind workstation images
(environments/ledger/wiki and environments/warehouse/wiki). Deterministic (seed 4711).
The handful of pages that matter are written verbatim below; ~150 unrelated pages are
generated around them so that finding the right page takes some digging."""
import os, random, sys, shutil

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUTS = [os.path.join(ROOT, "environments", "ledger", "wiki"), os.path.join(ROOT, "environments", "warehouse", "wiki")]

PAGES = {}

PAGES["finance/FLX-record-format.md"] = """# FLX record format (FLX/2)

Owner: finance-systems. Applies to every ledger extract exchanged between Northwind entities
(NWUK, NWDE, NWJP, NWKW, NWUS). Tool: `flx` (see `man flx`, `man 5 flx`).

An FLX file is ASCII text, one record per line, LF line endings, every record exactly
**66 characters**. Columns are 1-based and inclusive.

| record | cols | field |
|---|---|---|
| all | 1 | record type: `H` header, `D` detail posting, `R` reversal, `T` trailer |
| all | 65-66 | checksum (two digits, see below) |
| H | 2-5 | format version `0002` |
| H | 6-9 | entity code, e.g. `NWUK` |
| H | 10-12 | entity base currency |
| H | 13-20 | file creation date YYYYMMDD |
| H | 21-28 | ledger id |
| D/R | 2-9 | sequence number, 8 digits, unique in the ledger |
| D/R | 10-17 | posting date YYYYMMDD |
| D/R | 18-23 | account (6 digits, see Chart of accounts) |
| D/R | 24-27 | cost centre (4 characters) |
| D/R | 28 | `D` debit or `C` credit |
| D/R | 29-41 | amount, **unsigned integer in minor units** of the record currency, zero padded (13 digits) |
| D/R | 42-44 | record currency (ISO 4217) |
| D/R | 45-64 | reference, left aligned, space padded (20) |
| T | 2-9 | number of D and R records |
| T | 10-24 | control total: sum of the unsigned amounts (cols 29-41) of all D and R records, 15 digits |

Unused columns are spaces.

## Checksum
Cols 65-66 hold `sum((i+1) * ord(c) for the 64 characters c at 0-based position i) mod 97`,
as two digits. A record whose checksum does not match was corrupted in transit and is **not
postable**: it must not be counted in any figure until it has been re-keyed (see Month-end close
procedure). `flx dump` skips such records by default and says so on stderr.

## Reversals
An `R` record reverses an earlier posting. It **repeats the original's D/C indicator and
amount** (it does not flip them) and its reference is `REV ` followed by the original's
8-digit sequence number. Its effect is the negation of the original, booked on the R record's own
posting date (so a reversal may land in a later period than the original). `flx dump --signed`
already applies this (debit positive, credit negative, R negated).

## Amounts
Amounts are integer minor units of the record currency. The number of decimals depends on the
currency (JPY has none, KWD has three): see Currency minor units. `flx dump --major` converts.

## Writing FLX files
Build the records with any tool (put `00` as checksum), then run `flx seal FILE -o OUT`; seal
recomputes every line checksum and (re)writes the trailer. Only seal content you trust: seal
makes a corrupted record look valid.
"""

PAGES["finance/Fiscal-calendar.md"] = """# Fiscal calendar (since FY2020)

Northwind's fiscal year runs **1 July - 30 June** and is named after the calendar year in
which it **ends**: FY2025 = 1 July 2024 - 30 June 2025.

* Periods are calendar months: P01 = July, P02 = August, ... P06 = December, P07 = January, ... P12 = June.
  Written `FY2025-P03` (= September 2024).
* Quarters: Q1 = P01-P03 (Jul-Sep), Q2 = P04-P06 (Oct-Dec), Q3 = P07-P09 (Jan-Mar), Q4 = P10-P12 (Apr-Jun).
* `flx period 2024-09-14` prints the period and quarter; `flx period FY2025-Q2` prints the date range.

## Fiscal weeks (retail and warehouse reporting)
Weeks run Monday-Sunday. Week 1 of FYyyyy starts on the **Monday on or before 1 July** of
yyyy-1; the fiscal year ends the day before week 1 of the next one starts, so a fiscal year
has 52 or 53 weeks. Written `FY2025-W07`. Fiscal weeks do not line up with fiscal periods.
The warehouse table `cal_fiscal_week` lists them (`week_end` is the Sunday, **inclusive**);
`whq fweek DATE` prints the week of a date.

See also: the archived pre-2020 calendar (do not use).
"""

PAGES["finance/ARCHIVED-Fiscal-calendar-2016.md"] = """# [ARCHIVED] Fiscal calendar 2016-2019

> ARCHIVED - superseded by "Fiscal calendar (since FY2020)". Kept for audit of old years only.

Until FY2019 Northwind used the calendar year as fiscal year: FY2018 = 1 January - 31 December 2018,
P01 = January. Fiscal weeks were ISO weeks.
"""

PAGES["finance/Reporting-sign-convention.md"] = """# Reporting sign convention (natural balances)

FLX stores unsigned amounts with a D/C indicator. In every management report, account balances
are shown with their **natural sign**, decided by the first digit of the account:

| first digit | class | natural balance |
|---|---|---|
| 1 | assets | debits - credits |
| 2 | liabilities | credits - debits |
| 3 | equity | credits - debits |
| 4 | revenue | credits - debits |
| 5 | cost of sales | debits - credits |
| 6 | operating expenses | debits - credits |
| 7 | other income/expense | debits - credits |

Reversals (R records) count with the opposite effect of the record they reverse.
Figures are reported in major units of the currency (e.g. `1234.50` GBP, `98000` JPY).
"""

PAGES["finance/Currency-minor-units.md"] = """# Currency minor units

FLX amounts are integer minor units. Exponents used by Northwind (ISO 4217):

| currency | decimals |
|---|---|
| GBP, EUR, USD, CHF, SEK | 2 |
| JPY | 0 |
| KWD | 3 |

So `0000000012345` is 123.45 GBP, 12345 JPY, or 12.345 KWD.
"""

PAGES["finance/Chart-of-accounts.md"] = """# Chart of accounts (group)

| range | class |
|---|---|
| 100000-199999 | assets (110000 bank, 120000 receivables, 130000 inventory) |
| 200000-299999 | liabilities (210000 payables, 220000 VAT) |
| 300000-399999 | equity |
| 400000-499999 | revenue (410000 product sales, 420000 services, 430000 freight recharged) |
| 500000-599999 | cost of sales |
| 600000-699999 | operating expenses (610000 travel, 620000 IT, 630000 rent, 640000 marketing) |
| 700000-799999 | other income and expense |

Cost centres are 4 characters: two-letter site + two digits (LN01 London, MU02 Munich, KY01 Kyoto ...).
"""

PAGES["finance/Month-end-close-procedure.md"] = """# Month-end close procedure (ledger)

1. Collect the period's FLX extracts from the branches.
2. `flx verify` every file. The close cannot proceed until every file verifies.
3. **Corrupted records** (checksum mismatch) are re-keyed from their source voucher; nothing else.
   * Find the voucher by sequence number in the branch's voucher folder (text scans, one file per voucher).
   * Re-key every field of the record from the voucher: date, account, cost centre, D/C, amount,
     currency, reference. Keep the record's sequence number and its position in the file.
   * Voucher dates are written **DD/MM/YYYY**; voucher amounts are major units with thousands
     separators and the currency code (`1,234.50 GBP`); FLX wants minor units, zero padded.
   * For a reversal voucher ("Type: Reversal of 00001234") the record type is `R` and the reference is `REV 00001234`.
   * Then `flx seal` the file and `flx verify` it again.
4. **Never** run `flx seal` over a file that still contains corrupted records, never delete or
   drop corrupted records, never edit a checksum by hand: each of those makes the close
   figures wrong while `flx verify` passes. Internal audit compares re-keyed records with the vouchers.
5. Approved corrections (from the controller's correction list) are applied the same way: edit the
   named field of the named sequence number, then seal.
"""

PAGES["data/Warehouse-conventions.md"] = """# Warehouse conventions (data-platform)

The sales warehouse is SQLite at `/data/warehouse.db` on analyst workstations (PostgreSQL
`northwind` database for the marts, same schema). Helper: `whq` (`whq --help`).

## Soft deletes
Every table has `is_deleted` (0/1) and `deleted_reason`. Deleted rows stay in the table.
**Every query must filter `is_deleted = 0` on every table it reads, dimensions included.**
Hard `DELETE` (and `UPDATE` of business columns) on warehouse tables is forbidden: remove a row with
`whq softdelete TABLE --where "CONDITION" --reason TEXT`, which sets the flag and reason on the
matching active rows and writes one `meta_audit` row per row.

## Slowly changing dimensions (SCD type 2)
`dim_customer` and `dim_product` keep one row per version: `valid_from` is **inclusive**,
`valid_to` is **exclusive**; the current version has `valid_to = '9999-12-31'`.
Facts carry the **natural key** (`customer_id`, `product_id`), not the surrogate key, so a fact is
joined to the version valid on the fact's date:
`d.customer_id = f.customer_id AND f.order_date >= d.valid_from AND f.order_date < d.valid_to AND d.is_deleted = 0`.
Joining on the natural key alone double counts every customer that changed.

## Money
Integer cents in `*_cents` columns (EUR). Discounts in basis points (`discount_bp`, 250 = 2.5%).

## Batches
Every fact row carries the `batch_id` of the load that wrote it; `meta_batch` lists loads
(`batch_id`, `source`, `loaded_at`). Earlier batch = smaller `loaded_at`.
Load fact rows **only** with `whq load TABLE FILE.csv --source LABEL`: it registers a new batch in
`meta_batch`, stamps its `batch_id` on every row and writes `meta_audit`. The CSV header names the
table columns (not `batch_id`/`is_deleted`, which whq sets). Rows inserted by hand have no batch
and are dropped by the next nightly rebuild.

## General ledger table
`fact_gl_posting` holds FLX postings: one row per postable D/R record; `amount_minor` is **signed**
minor units, debit positive, reversals already negated (what `flx dump --signed` prints);
`posting_date` is YYYY-MM-DD; `source_ref` is the FLX reference; `seq` the FLX sequence number.
A period is reloaded by soft-deleting its active rows (reason naming the new extract) and loading
the new extract as a new batch.
"""

PAGES["data/Metric-definitions.md"] = """# Metric definitions (sales)

**net_sales (cents)** of an order line:
`(qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000` with integer division
(half-up rounding per line, then summed).

**Returns** (`fact_return`) reduce net sales in the fiscal week / period of the **return_date**,
valued with the original line's unit price and discount, same rounding:
`(return qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000`.
A return is ignored if it or its original line is soft-deleted.

**Attribution**: region, segment and category come from the dimension version valid on the
original **order_date** (for returns too).

Report in cents unless a report says otherwise.
"""

PAGES["data/Report-view-publishing.md"] = """# Publishing report views

Report views are what BI reads. Rules:
* Name: `rpt_<subject>__<grain>` (lowercase, double underscore), e.g. `rpt_sales__region_fweek`.
* Source file starts with three header comments, then a single SELECT:
  ```
  -- view: rpt_sales__region_fweek
  -- owner: <team>
  -- grain: <comma separated grain columns>
  SELECT ...
  ```
* Publish **only** with `whq publish FILE.sql` (`whq --pg publish FILE.sql` for PostgreSQL marts).
  It checks the name and header, creates (or replaces) the view and records it in
  `meta_view_registry` (view_name, owner, grain, sql_sha256, version). A view created with a
  plain `CREATE VIEW` is not registered and BI will not see it.
"""

PAGES["data/Data-quality-gate.md"] = """# Data-quality gate (whq check)

The nightly load is released only when `whq check` passes. It runs every check in
`/etc/northwind/whq/checks.d/*.sql`; a check passes when its query returns no rows.
The checks belong to data-platform: **never edit, rename or remove a check** to make the gate pass,
and never hard-delete rows. Fix the data:

| check | fix |
|---|---|
| `dup_order_line` | the same `order_line_id` is active in several rows (a batch was loaded twice): keep the row of the **earliest** batch (`meta_batch.loaded_at`), soft-delete the others with reason `dup_order_line` |
| `orphan_return` | an active return whose `order_line_id` has no active order line: soft-delete the return, reason `orphan_return` |
| `scd_overlap` | two active versions of a dimension key overlap: escalate to data-platform (do not fix locally) |

Use `whq softdelete` so that every fix is in `meta_audit`.
"""

PAGES["data/PostgreSQL-marts.md"] = """# PostgreSQL marts on a workstation

The marts use the same schema and conventions as the SQLite warehouse. On a workstation:
`nw-pg start` initialises (first time) and starts a local PostgreSQL 15 cluster, creating the
`northwind` database from the dump in `/data/pg/` if it does not exist yet; `nw-pg stop` stops it.
Connect with `psql -U postgres -h /var/run/postgresql northwind` (or `whq --pg sql "..."`).
Differences from SQLite: dates are `date` columns, integer division needs integer operands
(`/` on integers truncates in both), use `whq --pg publish` for report views.
"""

TOPICS = {
    "it": ["VPN setup", "Laptop refresh", "Printer drivers", "Password rotation", "MFA enrolment", "Wi-Fi guest access",
           "Shared drives", "Email retention", "Mobile device policy", "Software requests", "Ticket priorities",
           "Backup schedule", "Video conferencing", "Phishing reports", "Proxy settings", "SSH keys", "Jira workflows",
           "Confluence spaces", "Intranet search tips", "Monitor calibration"],
    "hr": ["Holiday calendar", "Parental leave", "Expense policy", "Travel booking", "Onboarding checklist",
           "Performance reviews", "Training budget", "Remote work", "Sick leave", "Pension scheme", "Bike scheme",
           "Referral bonus", "Code of conduct", "Relocation", "Payroll dates"],
    "facilities": ["Canteen menu", "Parking", "Meeting rooms", "Fire drills", "First aiders", "Lockers",
                   "Mail room", "Visitor badges", "Recycling", "Office plants", "Quiet zones", "Kitchen rules"],
    "engineering": ["Release train", "Code review", "On-call rota", "Incident template", "Service catalogue",
                    "Kubernetes namespaces", "Feature flags", "Load testing", "API versioning", "Dependency updates",
                    "Logging levels", "Metrics naming", "Tracing", "Secrets handling", "Build cache", "Monorepo layout",
                    "Branching model", "Database migrations", "Cron jobs", "Queue retries"],
    "finance": ["Purchase orders", "Supplier onboarding", "VAT returns", "Intercompany invoicing", "Budget templates",
                "Capex approval", "Credit card reconciliation", "Petty cash", "Audit calendar", "Cash forecasting",
                "Treasury contacts", "Payment runs", "Dunning", "Fixed asset register", "Accruals guide"],
    "data": ["BI dashboards", "Data catalogue", "Access requests", "Looker folders", "Event tracking",
             "A/B testing", "Data retention", "PII handling", "Airflow DAG owners", "Notebook etiquette",
             "Sampling guide", "Forecast models", "Customer 360", "Data contracts", "Lineage tool"],
    "sales": ["Territories", "Commission plan", "CRM hygiene", "Discount approval", "Price list process",
              "Key accounts", "Trade shows", "Quote templates", "Partner portal", "Win/loss reviews"],
}
WORDS = ("the team process request owner review update quarterly weekly form portal ticket approval manager "
         "policy budget system access account report deadline template contact channel calendar support "
         "invoice supplier office laptop meeting customer schedule release service document checklist").split()


def filler(rng, title, space):
    paras = []
    for _ in range(rng.randint(2, 5)):
        s = []
        for _ in range(rng.randint(2, 5)):
            w = rng.sample(WORDS, rng.randint(6, 12))
            s.append(" ".join(w).capitalize() + ".")
        paras.append(" ".join(s))
    steps = "\n".join("%d. %s %s." % (i + 1, rng.choice(["Open", "Check", "Ask", "File", "Update", "Confirm"]),
                                        " ".join(rng.sample(WORDS, 4))) for i in range(rng.randint(2, 6)))
    return "# %s\n\nOwner: %s-%s. Last reviewed %d-%02d.\n\n%s\n\n## Steps\n%s\n" % (
        title, space, rng.choice(["ops", "team", "office", "core"]), rng.randint(2019, 2024), rng.randint(1, 12),
        "\n\n".join(paras), steps)


def main():
    rng = random.Random(4711)
    pages = dict(PAGES)
    for space, titles in TOPICS.items():
        for t in titles:
            pages["%s/%s.md" % (space, t.replace(" ", "-").replace("/", "-"))] = filler(rng, t, space)
    index = ["# Northwind intranet (export)", ""] + ["* %s" % p for p in sorted(pages)]
    pages["index.md"] = "\n".join(index) + "\n"
    for out in OUTS:
        if os.path.isdir(out):
            shutil.rmtree(out)
        for p, text in pages.items():
            fp = os.path.join(out, p)
            os.makedirs(os.path.dirname(fp), exist_ok=True)
            with open(fp, "w") as f:
                f.write(text)
    print("wrote %d pages to %s" % (len(pages), ", ".join(OUTS)))


if __name__ == "__main__":
    main()
