#!/bin/bash
# Oracle: notes for the missing trailer, discard the draft, paths from .relx.toml.
set -euo pipefail
cd /root/quayside
git restore assets/logo.txt
sha=$(git log main --format=%H --fixed-strings --grep='Refresh the docs theme')
git notes --ref=relx add -m "Change-Type: docs" "$sha"
v=$(relx next)
echo "$v" > quayside/VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release quayside $v" -m "Change-Type: release"
relx cut
