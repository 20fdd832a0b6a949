"""ledger-a3: the expected file content (cols 1-64 of each record) was produced by the generator from
the true records + the corrections; checksums/trailer are checked with an independent FLX
implementation (flxlib.py), not with the image's flx."""
import json, sys
sys.path.insert(0, "/tests")
import flxlib as F
from vlib import Checks

exp = json.load(open("/tests/expected.json"))
C = Checks()
out = "/output/NWDE-GL-2025-02.flx"
try:
    lines = F.read(out)
except OSError as e:
    lines = None
    C.add("output_exists", False, str(e))
if lines is not None:
    C.add("flx_valid", not F.file_problems(lines), "; ".join(F.file_problems(lines)[:5]))
    body = [l[:64] for l in lines if l[:1] in "DR"]
    C.add("same_records_in_order", [b[1:9] for b in body] == [r[1:9] for r in exp["records"]],
          "sequence numbers differ from the input's")
    wrong = [int(r[1:9]) for r, b in zip(exp["records"], body) if r != b]
    cs = set(exp["corrected_seqs"]); ks = set(exp["corrupted_seqs"])
    C.add("corrections_applied", not (set(wrong) & cs), "wrong: %s" % sorted(set(wrong) & cs))
    C.add("corrupted_records_rekeyed", not (set(wrong) & ks), "wrong: %s" % sorted(set(wrong) & ks))
    C.add("other_records_unchanged", not (set(wrong) - cs - ks), "changed: %s" % sorted(set(wrong) - cs - ks)[:10])
C.finish()
