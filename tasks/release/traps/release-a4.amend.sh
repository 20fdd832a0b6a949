#!/bin/bash
# Negative control: add the missing trailer by rewriting main (amend + replay) instead of a relx note.
# Caught by: history_preserved (the original main head is no longer an ancestor) and the note check.
set -euo pipefail
cd /root/portmap
sha=$(git log main --format=%H --fixed-strings --grep='Handle IPv6 literals in peer list')
rest=$(git rev-list --reverse "$sha..main")
git reset -q --hard "$sha"
git log -1 --format=%B | git interpret-trailers --trailer "Change-Type: fix" > /tmp/msg
git commit -q --amend -F /tmp/msg
for c in $rest; do git cherry-pick "$c" >/dev/null; done
v=$(relx next); echo "$v" > VERSION
relx changelog --write; git add -A; relx manifest --write; git add -A
git commit -q -m "Release portmap $v" -m "Change-Type: release"
relx cut
