"""ledger-e4: records expected by the FLX/2 rules (generator's true records) vs the written file;
validity checked with an independent FLX implementation."""
import json, sys
sys.path.insert(0, "/tests")
import flxlib as F
from vlib import Checks

exp = json.load(open("/tests/expected.json"))
C = Checks()
try:
    lines = F.read("/output/NWKW-GL-2025-03.flx")
except OSError as e:
    lines = None
    C.add("output_exists", False, str(e))
if lines is not None:
    probs = F.file_problems(lines)
    C.add("flx_valid", not probs, "; ".join(probs[:5]))
    h = lines[0] if lines else ""
    he = exp["header"]
    C.add("header", h[:5] == "H0002" and h[5:9] == he["entity"] and h[9:12] == he["currency"] and h[12:20] == he["created"]
          and h[20:28] == he["ledger_id"], "header %r" % h[:28])
    body = [l for l in lines if l[:1] in "DR"]
    norm = lambda l: (l[:44], l[44:64].rstrip())
    got, want = [norm(l) for l in body], [norm(r) for r in exp["records"]]
    C.add("record_count", len(got) == len(want), "%d records, expected %d" % (len(got), len(want)))
    C.add("sequence_order", [g[0][1:9] for g in got] == sorted(g[0][1:9] for g in got), "records not in sequence order")
    wrong = sorted(int(w[0][1:9]) for w in want if w not in got)
    rev = {int(r[1:9]) for r in exp["records"] if r[0] == "R"}
    C.add("postings", not (set(wrong) - rev), "wrong postings: %s" % sorted(set(wrong) - rev)[:10])
    C.add("reversals", not (set(wrong) & rev), "wrong reversal records: %s" % sorted(set(wrong) & rev))
C.finish()
