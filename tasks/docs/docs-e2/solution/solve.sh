#!/bin/bash
set -euo pipefail
cd /root/docs/personal-data
# the colleague's typos: citation key and glossary marker that are not in the registers
sed -i 's/\[ref:nist-800-53\]/[ref:nist-sp-800-53]/g; s/\[\[D\.P\.O\.\]\]/[[DPO]]/g' personal-data.md
docbuild lint .
docbuild build .
