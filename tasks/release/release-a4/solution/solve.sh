#!/bin/bash
# Oracle: missing trailer recorded as a git note in refs/notes/relx (history is not rewritten).
set -euo pipefail
cd /root/portmap
sha=$(git log main --format=%H --fixed-strings --grep='Handle IPv6 literals in peer list')
git notes --ref=relx add -m "Change-Type: fix" "$sha"
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release portmap $v" -m "Change-Type: release"
relx cut
