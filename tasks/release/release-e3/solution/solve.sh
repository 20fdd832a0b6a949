#!/bin/bash
# Oracle: backport both fixes (oldest first) with -x onto release/3.1.x, patch release.
set -euo pipefail
cd /root/signet
a=$(git log main --format=%H --grep='^Ticket: NW-2253$')
b=$(git log main --format=%H --grep='^Ticket: NW-2305$')
git switch -q release/3.1.x
git cherry-pick -x "$a" "$b"
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release signet $v" -m "Change-Type: release"
relx cut
