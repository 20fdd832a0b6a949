#!/bin/bash
# choice.sh — verifier helper for multiple-choice answers (SkillDelta, issue 11).
#
#   bash choice.sh ANSWER_FILE CORRECT CHOICES [OUT]
#
#   ANSWER_FILE  the file the agent was told to write its answer to
#   CORRECT      the right letter, e.g. C
#   CHOICES      the letters offered, e.g. ABCDE; chance = 1 / number of letters
#   OUT          where to write reward.json (default /logs/verifier/reward.json)
#
# Writes {"reward": 0|1, "checks": [...], "chance": 1/n}. Accepted answers (case-insensitive,
# surrounding whitespace ignored): `C`, `(C)`, `C)`, `C.`, `Answer: C`, `The answer is (C).`
# Anything naming no letter, several letters or a letter not offered is not a choice and
# scores 0, so hedging ("C or D") never passes. Pure bash (no python, no jq), so it runs in
# minimal images; the agent's text is never copied into the JSON, so no escaping is needed.
# Copy this file into a task's tests/ folder; tests/ is only visible to the verifier.
set -u
answer_file=${1:?usage: choice.sh ANSWER_FILE CORRECT CHOICES [OUT]}
correct=${2:?usage: choice.sh ANSWER_FILE CORRECT CHOICES [OUT]}
choices=${3:?usage: choice.sh ANSWER_FILE CORRECT CHOICES [OUT]}
out=${4:-/logs/verifier/reward.json}
correct=${correct^^}
choices=${choices^^}
n=${#choices}
if [ "$n" -lt 1 ] || [[ ! "$choices" =~ ^[A-Z]+$ ]] || [[ "$choices" != *"$correct"* ]] || [ "${#correct}" -ne 1 ]; then
  echo "choice.sh: CHOICES must be letters and contain CORRECT (got CORRECT=$correct CHOICES=$choices)" >&2
  exit 2
fi

# chance = 1/n with four decimals, in integer arithmetic (bash has no floats)
scaled=$(( (10000 + n / 2) / n ))
if [ "$scaled" -ge 10000 ]; then chance=1; else chance=$(printf '0.%04d' "$scaled"); fi

present=false; one=false; right=false; picked=""
text=""
# first 4 KiB only: an answer is one line, not an essay
[ -f "$answer_file" ] && text=$(head -c 4096 -- "$answer_file" | tr '\r\n\t' '   ' | sed -e 's/^ *//' -e 's/ *$//')
text=${text^^}
if [ -n "$text" ]; then
  present=true
  re_letter='^\(?([A-Z])\)?[.]?$'
  re_phrase='^(THE )?(FINAL )?ANSWER( IS)?[ ]*[:=]?[ ]*\(?([A-Z])\)?[.]?$'
  if [[ "$text" =~ $re_letter ]]; then picked=${BASH_REMATCH[1]}
  elif [[ "$text" =~ $re_phrase ]]; then picked=${BASH_REMATCH[4]}
  fi
  if [ -n "$picked" ] && [[ "$choices" == *"$picked"* ]]; then one=true; else picked=""; fi
  if [ "$picked" = "$correct" ]; then right=true; fi
fi
reward=0; $right && reward=1
msg="no single choice among $choices"; [ -n "$picked" ] && msg="picked $picked"
mkdir -p "$(dirname "$out")"
printf '{"reward": %s, "chance": %s, "checks": [{"name": "answer_present", "passed": %s}, {"name": "answer_is_one_choice", "passed": %s, "message": "%s"}, {"name": "answer_correct", "passed": %s}]}\n' \
  "$reward" "$chance" "$present" "$one" "$msg" "$right" > "$out.tmp" && mv "$out.tmp" "$out"
