#!/bin/bash
set -euo pipefail
cd /root/docs/handbook-ops
cat > docbuild.toml <<'TOML'
[document]
sources    = ["00-front.md", "10-scope.md", "20-steps.md", "30-records.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = ["html"]
outdir     = "build"
TOML
docbuild build .
