#!/bin/bash
# perfcheck.sh ORIG_DIR NEW_DIR 'CMD with {app} and {}' [EXTRA_INPUT...]
# 1) byte-identical output of ORIG and NEW on /app/bench/sample.in and every extra input;
# 2) PERF-2 comparison with nwbench on the sample. Exit 1 on any output difference.
set -uo pipefail
orig=$1 new=$2 cmd=$3; shift 3
[ -f "$new/Makefile" ] && make -s -C "$new"
[ -f "$orig/Makefile" ] && make -s -C "$orig"
b=${cmd//\{app\}/$orig}; c=${cmd//\{app\}/$new}
fail=0
for inp in /app/bench/sample.in "$@"; do
  if cmp -s <(eval "${b//\{\}/$inp}" 2>/dev/null) <(eval "${c//\{\}/$inp}" 2>/dev/null); then
    echo "same output: $inp"
  else
    echo "OUTPUT DIFFERS: $inp"; fail=1
  fi
done
[ $fail = 0 ] || exit 1
nwbench compare --perf2 -i /app/bench/sample.in -b "$b" -c "$c"
