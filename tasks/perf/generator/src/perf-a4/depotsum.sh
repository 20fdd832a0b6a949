#!/bin/bash
# depotsum - net quantity moved per depot (Northwind warehousing night job).
# Usage: bash depotsum.sh MOVEMENTS.csv     (CSV: date,depot,item,qty; header line first)
# Prints "DEPOT NET MOVES" per depot sorted by depot name, then "total LINES".
declare -A net moves
lines=0
first=1
while IFS= read -r line; do
  if [ $first = 1 ]; then first=0; continue; fi
  depot=$(echo "$line" | cut -d, -f2)
  qty=$(echo "$line" | cut -d, -f4)
  net[$depot]=$(expr ${net[$depot]:-0} + $qty)
  moves[$depot]=$(expr ${moves[$depot]:-0} + 1)
  lines=$(expr $lines + 1)
done < "$1"
for d in $(printf '%s\n' "${!net[@]}" | sort); do
  echo "$d ${net[$d]} ${moves[$d]}"
done
echo "total $lines"
