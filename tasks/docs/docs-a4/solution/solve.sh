#!/bin/bash
set -euo pipefail
cd /root/docs/lims-access
cat > docbuild.toml <<'TOML'
[document]
sources    = ["00-lims-access.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = ["html", "md"]
outdir     = "build"
TOML
docbuild build .
