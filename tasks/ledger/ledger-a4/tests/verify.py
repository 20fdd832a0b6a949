"""ledger-a4: expected per-period record lists computed by the generator from the input."""
import glob, json, os, sys
sys.path.insert(0, "/tests")
import flxlib as F
from vlib import Checks

exp = json.load(open("/tests/expected.json"))
C = Checks()
files = {os.path.basename(p)[:-4]: p for p in glob.glob("/output/*.flx")}
C.add("period_files", set(files) == set(exp["periods"]), "got %s expected %s" % (sorted(files), sorted(exp["periods"])))
for per, recs in sorted(exp["periods"].items()):
    if per not in files:
        continue
    lines = F.read(files[per])
    probs = F.file_problems(lines)
    C.add(per + ":valid", not probs, "; ".join(probs[:3]))
    C.add(per + ":header", bool(lines) and lines[0][:64] == exp["header"], "header differs from the original")
    C.add(per + ":records", [l[:64] for l in lines if l[:1] in "DR"] == recs, "records differ (content or order)")


def rejects():
    got = sorted(int(x) for x in open("/output/rejects.txt").read().split())
    return got == exp["rejected_seqs"], "got %s expected %s" % (got, exp["rejected_seqs"])


C.run("rejects", rejects)
C.finish()
