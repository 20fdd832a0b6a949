#!/bin/bash
# Oracle: relx computes 0.x bumps (breaking -> minor while major is 0).
set -euo pipefail
cd /root/tidewatch
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release tidewatch $v" -m "Change-Type: release"
relx cut
