#!/bin/bash
# Hand check of every task of this family: builds the images, then per task
#   oracle: solution/solve.sh then tests -> reward must be 1
#   nop:    tests on the untouched image -> reward must be 0
#   trap:   traps/<task-id>.sh and traps/<task-id>.*.sh (tempting shortcuts) then tests -> reward must be 0
# Usage: tasks/<family>/check.sh [task-id ...]   (run from anywhere)
set -u
FAM_DIR=$(cd "$(dirname "$0")" && pwd)
FAMILY=$(basename "$FAM_DIR")
ROOT=$(cd "$FAM_DIR/../.." && pwd)
cd "$ROOT"
start=$(date +%s)
if [ "${SKIP_ENV_BUILD:-0}" != 1 ]; then
  docker build -q --network host -t "skilldelta-env/$FAMILY" "environments/$FAMILY" >/dev/null || { echo "env build failed"; exit 1; }
fi
tasks=("$@")
if [ ${#tasks[@]} -eq 0 ]; then
  for d in "$FAM_DIR"/"$FAMILY"-*/; do tasks+=("$(basename "$d")"); done
fi

run_case() { # $1 task  $2 mode(oracle|nop|trap) -> prints reward
  local id=$1 mode=$2 cid reward
  cid=$(docker run -d --network none "sdtask-$id" sleep infinity)
  case $mode in
    oracle) docker cp "$FAM_DIR/$id/solution" "$cid:/solution" >/dev/null
            docker exec "$cid" bash /solution/solve.sh >"/tmp/check-$id-${mode//[:\/]/_}.log" 2>&1 ;;
    trap*)  docker cp "$FAM_DIR/traps/${mode#trap:}" "$cid:/tmp/trap.sh" >/dev/null
            docker exec "$cid" bash /tmp/trap.sh >"/tmp/check-$id-${mode//[:\/]/_}.log" 2>&1 ;;
  esac
  docker cp "$FAM_DIR/$id/tests" "$cid:/tests" >/dev/null
  docker exec "$cid" bash -c 'rm -rf /logs/verifier; mkdir -p /logs/verifier; bash /tests/test.sh' >>"/tmp/check-$id-${mode//[:\/]/_}.log" 2>&1
  reward=$(docker exec "$cid" cat /logs/verifier/reward.txt 2>/dev/null | tr -d '[:space:]')
  docker exec "$cid" cat /logs/verifier/reward.json >"/tmp/check-$id-${mode//[:\/]/_}.json" 2>/dev/null
  docker rm -f "$cid" >/dev/null
  echo "${reward:-none}"
}

fail=0
printf '%-14s %-8s %-8s %-8s %s\n' task oracle nop trap verdict
for id in "${tasks[@]}"; do
  if ! docker build -q --network none -t "sdtask-$id" "$FAM_DIR/$id/environment" >/dev/null 2>"/tmp/check-$id-build.log"; then
    printf '%-14s %-8s %-8s %-8s %s\n' "$id" - - - "BUILD FAILED"; fail=1; continue
  fi
  o=$(run_case "$id" oracle); n=$(run_case "$id" nop); t=n/a
  ok=OK
  for tr in "$FAM_DIR"/traps/"$id".sh "$FAM_DIR"/traps/"$id".*.sh; do
    [ -f "$tr" ] || continue
    r=$(run_case "$id" "trap:$(basename "$tr")")
    [ "$r" = 0 ] || ok=FAIL
    if [ "$t" = n/a ]; then t=$r; else t="$t,$r"; fi
  done
  [ "$o" = 1 ] || ok=FAIL; [ "$n" = 0 ] || ok=FAIL
  [ $ok = OK ] || fail=1
  printf '%-14s %-8s %-8s %-8s %s\n' "$id" "$o" "$n" "$t" "$ok"
  [ "${KEEP_IMAGES:-0}" = 1 ] || docker rmi -f "sdtask-$id" >/dev/null 2>&1
done
echo "family $FAMILY: $([ $fail = 0 ] && echo ALL GREEN || echo FAILURES) in $(( $(date +%s) - start )) s (logs: /tmp/check-<task>-<mode>.log)"
exit $fail
