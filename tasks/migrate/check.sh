#!/bin/bash
# Hand check of every task of this family: the oracle passes, nop fails, each trap shortcut
# (traps/<task-id>*.sh) fails.  Usage: tasks/<family>/check.sh [task-id ...]
# Needs the family environment image (built here if missing). Removes its sdtask-* images.
set -u
FAM_DIR=$(cd "$(dirname "$0")" && pwd)
FAMILY=$(basename "$FAM_DIR")
ENV_DIR="$FAM_DIR/../../environments/$FAMILY"
if [ "${REBUILD_ENV:-0}" = 1 ] || ! docker image inspect "skilldelta-env/$FAMILY" >/dev/null 2>&1; then
  docker build -q --network host -t "skilldelta-env/$FAMILY" "$ENV_DIR" >/dev/null || { echo "env build failed"; exit 1; }
fi
ids=("$@")
[ ${#ids[@]} -eq 0 ] && ids=($(cd "$FAM_DIR" && ls -d "$FAMILY"-*/ | tr -d /))
run() { # image, script-or-empty -> prints reward
  local img=$1 script=$2 cid reward
  : >"$LOG"
  cid=$(docker run -d --network none "$img" sleep infinity)
  if [ -n "$script" ]; then
    docker exec "$cid" mkdir -p /solution
    docker cp "$script" "$cid":/solution/solve.sh
    docker exec "$cid" bash /solution/solve.sh >>"$LOG" 2>&1
  fi
  docker cp "$FAM_DIR/$id/tests" "$cid":/tests
  docker exec "$cid" bash -c 'rm -rf /logs/verifier; mkdir -p /logs/verifier; bash /tests/test.sh' >>"$LOG" 2>&1
  reward=$(docker exec "$cid" cat /logs/verifier/reward.txt 2>/dev/null | tr -d '[:space:]')
  docker exec "$cid" cat /logs/verifier/reward.json >>"$LOG" 2>/dev/null
  timeout 60 docker rm -f "$cid" >/dev/null 2>&1
  echo "${reward:-none}"
}
LOGDIR=${LOGDIR:-/tmp/skilldelta-check-$FAMILY}; mkdir -p "$LOGDIR"
fail=0
printf '%-14s %-8s %-6s %-6s %s\n' task build oracle nop traps
for id in "${ids[@]}"; do
  img="sdtask-$id"
  if docker build -q --network none -t "$img" "$FAM_DIR/$id/environment" >"$LOGDIR/$id.build" 2>&1; then b=ok; else b=FAIL; fail=1; fi
  LOG="$LOGDIR/$id.oracle"; o=$(run "$img" "$FAM_DIR/$id/solution/solve.sh")
  LOG="$LOGDIR/$id.nop"; n=$(run "$img" "")
  [ "$o" = 1 ] && os=pass || { os="FAIL($o)"; fail=1; }
  [ "$n" = 0 ] && ns=fails || { ns="PASS!($n)"; fail=1; }
  ts=""
  for t in "$FAM_DIR"/traps/"$id".sh "$FAM_DIR"/traps/"$id".*.sh; do
    [ -f "$t" ] || continue
    LOG="$LOGDIR/$(basename "$t").log"; r=$(run "$img" "$t")
    name=$(basename "$t" .sh); name=${name#$id}; name=${name#.}; name=${name:-shortcut}
    if [ "$r" = 0 ]; then ts="$ts $name:caught"; else ts="$ts $name:MISSED($r)"; fail=1; fi
  done
  printf '%-14s %-8s %-6s %-6s %s\n' "$id" "$b" "$os" "$ns" "${ts:- -}"
  timeout 60 docker rmi -f "$img" >/dev/null 2>&1 || echo "  (docker rmi $img timed out; remove it later)" >&2
done
echo "logs: $LOGDIR"
exit $fail
