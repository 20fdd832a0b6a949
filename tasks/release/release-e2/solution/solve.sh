#!/bin/bash
# Oracle: the check fails on a real regression in sliding(); fix the code, commit as a fix, release.
set -euo pipefail
cd /root/beacon
python3 - <<'PY'
p = "beacon/window.py"
s = open(p).read()
s = s.replace("for i in range(len(xs) - n):", "for i in range(len(xs) - n + 1):")
open(p, "w").write(s)
PY
python3 -m unittest discover -s tests -q
git commit -q -am "Fix off-by-one in sliding windows" -m "The last window was dropped." -m "Change-Type: fix
Ticket: NW-5120"
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release beacon $v" -m "Change-Type: release"
relx cut
