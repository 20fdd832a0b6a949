#!/bin/bash
# Oracle: period of each record = fiscal period of its own date (FY starts 1 July, named by end year);
# bad-checksum records -> rejects.txt; each period file = header + records + trailer via flx seal.
set -euo pipefail
mkdir -p /output /tmp/split
python3 - <<'PY'
import os
def ck(b): return "%02d" % (sum((i + 1) * ord(c) for i, c in enumerate(b[:64])) % 97)
lines = open("/data/NWUS-GL-2024-Q.flx").read().split("\n")[:-1]
hdr, per, rej = lines[0], {}, []
for l in lines[1:]:
    if l[0] not in "DR":
        continue
    if ck(l) != l[64:66]:
        rej.append(int(l[1:9])); continue
    y, m = int(l[9:13]), int(l[13:15])
    key = "FY%d-P%02d" % (y + 1 if m >= 7 else y, (m - 7) % 12 + 1)
    per.setdefault(key, []).append(l)
for k, ls in per.items():
    open("/tmp/split/%s.flx" % k, "w").write("\n".join([hdr] + ls) + "\n")
open("/output/rejects.txt", "w").write("".join("%d\n" % s for s in rej))
PY
for f in /tmp/split/*.flx; do flx seal "$f" -o "/output/$(basename "$f")"; done
flx verify /output/*.flx
