#!/bin/bash
set -euo pipefail
cd /root/docs/workshop-electrical
sed -i 's|^style .*|style      = "/opt/meridian/style/mas-2024.css"|; s|^formats .*|formats    = ["html", "txt"]|' docbuild.toml
docbuild build .
