#!/bin/bash
# The Northwind toolbox (relx, nwlib, nw-migrate, man pages, wiki) is shared by the release
# and migrate environments; environments/release/northwind is the source of truth.
# Run after changing it:  environments/migrate/sync-from-release.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$here/northwind"
cp -r "$here/../release/northwind" "$here/northwind"
sed 's/environment "release"/environment "migrate"/' "$here/../release/Dockerfile" > "$here/Dockerfile"
echo "synced"
