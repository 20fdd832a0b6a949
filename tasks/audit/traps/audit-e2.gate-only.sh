#!/bin/bash
# Second shortcut for audit-e2: trust the CI gate. Fix only what `nwaudit gate` complains
# about (main files), stop when it is green, report no findings.
# Caught by host_compliant_recomputed / finding_set: drop-ins, sshd first-match and the
# systemd/cron controls that nwaudit does not read still violate the baseline.
set -e
H=/srv/audit/hosts/pay-web-01
sed -i "s/Defaults env_reset/Defaults env_reset\nDefaults use_pty/" $H/etc/sudoers
nwaudit gate $H --exceptions /srv/audit/exceptions.csv
mkdir -p /srv/audit/out
echo '{"baseline": "NWSEC-BASELINE v3", "audit_date": "2025-03-03", "findings": []}' > /srv/audit/out/findings.json
