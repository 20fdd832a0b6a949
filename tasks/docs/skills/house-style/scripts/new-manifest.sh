#!/bin/bash
# Write a MAS-DS-7 docbuild.toml. usage: new-manifest.sh DOCDIR SOURCE... [-- FORMAT...]
# Env: GLOSSARY, REFERENCES, OUTDIR override the defaults (glossary.tsv, refs.tsv, build).
set -euo pipefail
dir=$1; shift
src=(); fmt=()
while [ $# -gt 0 ]; do [ "$1" = "--" ] && { shift; fmt=("$@"); break; }; src+=("$1"); shift; done
[ ${#fmt[@]} -eq 0 ] && fmt=(html)
q() { local out="" x; for x in "$@"; do out+="${out:+, }\"$x\""; done; echo "$out"; }
cat > "$dir/docbuild.toml" <<TOML
[document]
sources    = [$(q "${src[@]}")]
glossary   = "${GLOSSARY:-glossary.tsv}"
references = "${REFERENCES:-refs.tsv}"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = [$(q "${fmt[@]}")]
outdir     = "${OUTDIR:-build}"
TOML
cat "$dir/docbuild.toml"
