#!/bin/bash
# Oracle: backport with cherry-pick -x onto release/2.1.x, then a patch release there.
set -euo pipefail
cd /root/ledgerd
sha=$(git log main --format=%H --grep='^Ticket: NW-6699$')
git switch -q release/2.1.x
git cherry-pick -x "$sha"
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release ledgerd $v" -m "Change-Type: release"
relx cut
