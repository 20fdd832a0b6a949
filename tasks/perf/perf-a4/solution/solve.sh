#!/bin/bash
# Oracle for perf-a4: OP-06 one awk process instead of several subprocesses per line
set -euo pipefail
cat > /app/depotsum.sh <<'NW_ORACLE_EOF'
#!/bin/bash
# depotsum - net quantity moved per depot (Northwind warehousing night job).
# Usage: bash depotsum.sh MOVEMENTS.csv     (CSV: date,depot,item,qty; header line first)
# Prints "DEPOT NET MOVES" per depot sorted by depot name, then "total LINES".
# OP-06 (one pass in one process): a single awk replaces the per-line subprocesses.
awk -F, 'NR > 1 { net[$2] += $4; moves[$2]++; n++ }
         END { for (d in net) printf "%s %d %d\n", d, net[d], moves[d] | "sort"; close("sort"); printf "total %d\n", n }' "$1"
NW_ORACLE_EOF
