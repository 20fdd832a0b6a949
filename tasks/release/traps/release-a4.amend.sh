#!/bin/bash
# Negative control: add the missing trailer by rewriting main (rebase/amend) instead of a relx note.
# Caught by: history_preserved (the original main head is no longer an ancestor) and the note check.
set -euo pipefail
cd /root/portmap
sha=$(git log main --format=%H --fixed-strings --grep='Handle IPv6 literals in peer list')
GIT_SEQUENCE_EDITOR=true git -c core.editor=true rebase -q -x 'if git log -1 --format=%s | grep -q "Handle IPv6"; then git commit -q --amend -m "$(git log -1 --format=%B)

Change-Type: fix"; fi' "$sha^"
v=$(relx next); echo "$v" > VERSION
relx changelog --write; git add -A; relx manifest --write; git add -A
git commit -q -m "Release portmap $v" -m "Change-Type: release"
relx cut
