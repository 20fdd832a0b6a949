#!/bin/bash
set -euo pipefail
cd /root/docs/legionella
sed -i 's/^revision: 2$/revision: 3/; s/^issued: .*/issued: 2024-06-14/; s/^review-date: .*/review-date: 2024-12-14/' legionella.md
sed -i 's|^style .*|style      = "/opt/meridian/style/mas-2024.css"\nfilters    = ["glossary", "refnum", "sectnum"]|' docbuild.toml
docbuild build .
