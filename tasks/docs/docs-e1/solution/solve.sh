#!/bin/bash
set -euo pipefail
cd /root/repos/lab-sops/sops/cleanroom-gowning
cat > docbuild.toml <<'TOML'
[document]
sources    = ["gowning-1.md", "gowning-2.md", "gowning-3.md"]
glossary   = "../../registers/glossary.tsv"
references = "../../registers/refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = ["html"]
outdir     = "../../public"
TOML
docbuild build .
