#!/bin/bash
# Hand check of every task of this family: env image build, task image build (offline), oracle must
# pass, nop must fail, every trap shortcut (traps/<task-id>*.sh) must fail. Prints a table.
# Rewards are speedups (floats): passed = reward >= pass_threshold of task.toml (1.5).
# Usage: tasks/<family>/check.sh [task-id ...]     (removes its sdtask-* images/containers afterwards)
set -uo pipefail
FAM_DIR=$(cd "$(dirname "$0")" && pwd)
FAMILY=$(basename "$FAM_DIR")
ROOT=$(cd "$FAM_DIR/../.." && pwd)
LOG=${CHECK_LOG:-/tmp/check-$FAMILY}
mkdir -p "$LOG"
if [ "${SKIP_ENV_BUILD:-0}" != 1 ]; then
  docker build -q --network host -t "skilldelta-env/$FAMILY" "$ROOT/environments/$FAMILY" > "$LOG/env-build.log" 2>&1 \
    || { echo "environment build failed: $LOG/env-build.log"; exit 1; }
fi
tasks=("$@")
[ ${#tasks[@]} -eq 0 ] && tasks=($(cd "$FAM_DIR" && ls -d "$FAMILY"-*/ | tr -d /))

run_case() { # task mode(oracle|nop|trap) [trap-script] -> prints reward
  local id=$1 mode=$2 trap=${3:-} cid reward
  cid=$(docker run -d --network none --label skilldelta.check="$FAMILY" "sdtask-$id" sleep infinity) || { echo "ERR"; return; }
  if [ "$mode" = oracle ]; then
    docker cp "$FAM_DIR/$id/solution" "$cid:/solution" >/dev/null && docker exec "$cid" bash /solution/solve.sh >> "$LOG/$id.$mode.log" 2>&1
  elif [ "$mode" = trap ]; then
    docker cp "$trap" "$cid:/tmp/trap.sh" >/dev/null && docker exec "$cid" bash /tmp/trap.sh >> "$LOG/$id.$mode.$(basename "$trap").log" 2>&1
  fi
  docker cp "$FAM_DIR/$id/tests" "$cid:/tests" >/dev/null
  docker exec "$cid" bash -c 'rm -rf /logs/verifier; mkdir -p /logs/verifier; bash /tests/test.sh >/logs/verifier/stdout.txt 2>&1; cat /logs/verifier/reward.txt' 2>/dev/null | tr -d '[:space:]'
  docker exec "$cid" cat /logs/verifier/reward.json > "$LOG/$id.$mode${trap:+.$(basename "$trap")}.reward.json" 2>/dev/null
  docker rm -f "$cid" >/dev/null
}

pass() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1] or 0) >= float(sys.argv[2]) - 1e-9 else 1)' "$1" "$2" 2>/dev/null; }
fail=0
printf "%-14s %-12s %-7s %-7s %-18s %s\n" task role oracle nop traps verdict
for id in "${tasks[@]}"; do
  thr=$(sed -n 's/^pass_threshold *= *\([0-9.]*\)/\1/p' "$FAM_DIR/$id/task.toml"); thr=${thr:-1}
  role=$(sed -n 's/^role *= *"\(.*\)"/\1/p' "$FAM_DIR/$id/task.toml")
  if ! docker build -q --network none -t "sdtask-$id" "$FAM_DIR/$id/environment" > "$LOG/$id.build.log" 2>&1; then
    printf "%-14s %-12s %s\n" "$id" "$role" "BUILD FAILED ($LOG/$id.build.log)"; fail=1; continue
  fi
  o=$(run_case "$id" oracle); n=$(run_case "$id" nop)
  t="-"; tok=1
  for tr in "$FAM_DIR"/traps/"$id".sh "$FAM_DIR"/traps/"$id".*.sh; do
    [ -e "$tr" ] || continue
    r=$(run_case "$id" trap "$tr"); [ "$t" = "-" ] && t="" ; t="$t${t:+,}$r"
    pass "$r" "$thr" && tok=0
  done
  v=ok; { pass "$o" "$thr" && ! pass "$n" "$thr" && [ $tok = 1 ]; } || { v=FAIL; fail=1; }
  printf "%-14s %-12s %-7s %-7s %-18s %s\n" "$id" "$role" "$o" "$n" "$t" "$v"
  docker rmi -f "sdtask-$id" >/dev/null 2>&1
done
exit $fail
