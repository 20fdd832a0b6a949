#!/bin/bash
# Hand check of every task in this family (until `skilldelta tasks check` runs them):
# builds the task image offline, then in fresh containers runs nop (must fail), the oracle
# (must pass) and, when traps/<id>.sh exists, the trap's shortcut (must fail). Prints a table.
# usage: tasks/<family>/check.sh [task-id ...]      (env image skilldelta-env/<family> must exist)
set -uo pipefail
FAM_DIR=$(cd "$(dirname "$0")" && pwd)
FAM=$(basename "$FAM_DIR")
cd "$FAM_DIR"
ids=("$@")
[ ${#ids[@]} -eq 0 ] && ids=($(ls -d ${FAM}-*/ | tr -d /))

verdict() { # image, mode(nop|oracle|trap), id -> prints reward
  local cid r
  cid=$(docker run -d --network none "$1" sleep infinity)
  case $2 in
    oracle) docker cp "$3/solution" "$cid:/solution" >/dev/null && docker exec "$cid" bash /solution/solve.sh >"/tmp/check-$FAM-$3-$2.log" 2>&1 ;;
    trap) docker cp "traps/$3.sh" "$cid:/tmp/trap.sh" >/dev/null && docker exec "$cid" bash /tmp/trap.sh >"/tmp/check-$FAM-$3-$2.log" 2>&1 ;;
    nop) : ;;
  esac
  docker cp "$3/tests" "$cid:/tests" >/dev/null
  docker exec "$cid" bash -c 'rm -rf /logs/verifier; mkdir -p /logs/verifier; bash /tests/test.sh' >>"/tmp/check-$FAM-$3-$2.log" 2>&1
  r=$(docker exec "$cid" cat /logs/verifier/reward.txt 2>/dev/null | tr -d '[:space:]')
  docker exec "$cid" cat /logs/verifier/reward.json > "/tmp/check-$FAM-$3-$2.json" 2>/dev/null
  docker rm -f "$cid" >/dev/null
  echo "${r:-none}"
}

printf "%-10s %-12s %-12s %-7s %-7s %-7s %s\n" task split role oracle nop trap result
fails=0
for id in "${ids[@]}"; do
  split=$(sed -n 's/^split = "\(.*\)"/\1/p' "$id/task.toml"); role=$(sed -n 's/^role = "\(.*\)"/\1/p' "$id/task.toml")
  if ! docker build -q --network none -t "sdtask-$id" "$id/environment" >/tmp/check-$FAM-$id-build.log 2>&1; then
    printf "%-10s %-12s %-12s %s\n" "$id" "$split" "$role" "BUILD FAILED (see /tmp/check-$FAM-$id-build.log)"; fails=$((fails+1)); continue
  fi
  o=$(verdict "sdtask-$id" oracle "$id"); n=$(verdict "sdtask-$id" nop "$id"); t="-"
  [ -f "traps/$id.sh" ] && t=$(verdict "sdtask-$id" trap "$id")
  ok=OK; [ "$o" = 1 ] || ok=FAIL; [ "$n" = 0 ] || ok=FAIL; [ "$t" = "-" ] || [ "$t" = 0 ] || ok=FAIL
  [ "$ok" = OK ] || fails=$((fails+1))
  printf "%-10s %-12s %-12s %-7s %-7s %-7s %s\n" "$id" "$split" "$role" "$o" "$n" "$t" "$ok"
  [ "${KEEP_IMAGES:-0}" = 1 ] || docker rmi -f "sdtask-$id" >/dev/null 2>&1
done
echo "logs: /tmp/check-$FAM-<task>-<mode>.{log,json}"
exit $fails
