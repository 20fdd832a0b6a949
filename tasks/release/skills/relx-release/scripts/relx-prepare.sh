#!/bin/bash
# Steps 3-6 of a relx release: VERSION, changelog section, manifest (last), release commit.
# Run from anywhere inside the repository, on the branch to release, with a clean tree and
# complete Change-Type trailers (check with `relx status`). Then run `relx cut`.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
if [ -n "$(git status --porcelain --untracked-files=all)" ]; then
  echo "relx-prepare: tree is dirty; clean it first:" >&2; git status --short >&2; exit 1
fi
cfg() { python3 -c "import tomllib,sys; c=tomllib.load(open('.relx.toml','rb')); print(c.get('$1', '$2'))"; }
pkg=$(cfg package "")
vfile=$(cfg version_file VERSION)
v=$(relx next)
echo "$v" > "$vfile"
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release $pkg $v" -m "Change-Type: release"
relx cut --dry-run
echo "relx-prepare: release commit for $pkg $v ready; now run: relx cut"
