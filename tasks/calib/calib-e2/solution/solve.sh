#!/bin/bash
set -euo pipefail
cd /root/caljob
python3 - <<'PY'
p = "/root/caljob/run_cal.sh"
s = open(p).read()
s = s.replace("calx fit data/readings.csv --session data/$S.json --sensors data/sensors.csv -o out/coefficients.json",
              'unit=$(python3 -c \'import json,sys; print(json.load(open(sys.argv[1]))["ref_unit"])\' data/$S.json)\n'
              'calx fit data/readings.csv --session data/$S.json --sensors data/sensors.csv --tref 25 --reject mad35 --drift --ref-unit "$unit" -o out/coefficients.json')
open(p, "w").write(s)
PY
# calx accept exits 1 when a transducer genuinely fails: that is the job's correct verdict.
bash run_cal.sh S24-052 || true
