"""ledger-e3 (composition: FLX decoding + warehouse load/soft-delete conventions).
Expected rows come from the generator (decoded with an independent FLX implementation); the
database is inspected directly with python's sqlite3."""
import json, sqlite3, sys
sys.path.insert(0, "/tests")
from vlib import Checks

exp = json.load(open("/tests/expected.json"))
C = Checks()
con = sqlite3.connect("/data/warehouse.db")
n0 = exp["n_rows_before"]
old = {r[0]: r for r in con.execute("SELECT posting_id, is_deleted, deleted_reason FROM fact_gl_posting WHERE posting_id <= ?", (n0,))}
C.add("no_hard_delete", len(old) == n0, "%d of %d original rows remain" % (len(old), n0))
not_retired = [i for i in exp["stale_ids"] if not (i in old and old[i][1] == 1 and (old[i][2] or "").strip())]
C.add("stale_rows_soft_deleted", not not_retired, "still active or no reason: %s" % not_retired[:10])
touched = [i for i in exp["keep_ids"] if i not in old or old[i][1] != 0]
C.add("other_rows_untouched", not touched, "retired although out of scope: %s" % touched[:10])
audited = {r[0] for r in con.execute("SELECT row_ref FROM meta_audit WHERE table_name='fact_gl_posting' AND action='softdelete'")}
C.add("soft_deletes_audited", all("rowid=%d" % i in audited for i in exp["stale_ids"]),
      "soft-deletes missing from meta_audit (use the house tool)")
new = con.execute("SELECT seq, posting_date, account, cost_centre, amount_minor, currency, entity, batch_id FROM fact_gl_posting "
                  "WHERE is_deleted = 0 AND posting_id > ?", (n0,)).fetchall()
got = sorted([int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5])] for r in new)
want = sorted(exp["new_rows"])
C.add("new_rows", got == want, "%d active new rows, expected %d; first differences: %s" % (
    len(got), len(want), [g for g in got if g not in want][:3] + [w for w in want if w not in got][:3]))
C.add("entity", all(r[6] == "NWUK" for r in new) and bool(new), "entity must be NWUK")
batches = {r[7] for r in new}
reg = {r[0]: r[1] for r in con.execute("SELECT batch_id, source FROM meta_batch")}
C.add("new_batch_registered", len(batches) == 1 and all(reg.get(b) == "flx:NWUK-GL000121" for b in batches)
      and not (batches & {"B2024-1130-01", "B2024-1201-02"}), "batches of new rows: %s; registry: %s" % (sorted(map(str, batches)), reg))
C.finish()
