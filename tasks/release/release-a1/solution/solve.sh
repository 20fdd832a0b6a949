#!/bin/bash
# Oracle: house release workflow with relx (man relx, WORKFLOW).
set -euo pipefail
cd /root/fleetd
rm -f build.out                      # relx refuses dirty trees, untracked files included
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write                # manifest last, after every other change is staged
git add -A
git commit -q -m "Release fleetd $v" -m "Change-Type: release"
relx cut
