#!/bin/bash
set -euo pipefail
cd /root/docs/supplier-audit
{ cat <<'FM'
---
title: "Supplier audit report: Norrland Chemicals AB"
doc-id: MAS-QA-2024-037
revision: 1
classification: restricted
owner: sven.olsen@meridian.example
issued: 2024-03-31
review-date: 2024-09-30
distribution:
  - Quality Assurance
  - Procurement
---

FM
cat body.md; } > /tmp/body.md && mv /tmp/body.md body.md
sed -i 's|^formats|filters    = ["glossary", "refnum", "sectnum"]\nformats|' docbuild.toml
docbuild build .
