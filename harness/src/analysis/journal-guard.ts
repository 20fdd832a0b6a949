import { OUTCOMES, type Outcome } from "../run/schema.ts";

/**
 * A hand-written check of one parsed journal line against `TrialRecordSchema`, for the hot
 * path of reading a million-line journal (zod costs about as much as `JSON.parse` there).
 * It is deliberately no more lenient than the schema: when it says yes, zod would accept the
 * value and produce the same fields (defaults included); when it says no, the caller runs zod,
 * which either accepts the value after all or names the file, line and field at fault.
 * Keep it in step with `run/schema.ts` (analysis-journal.test.ts compares the two).
 */

const OUTCOME_SET: ReadonlySet<string> = new Set<Outcome>(OUTCOMES);
const REQUIRED = 21;
const OPTIONAL = ["split", "role", "checks", "error", "tokens", "cost_usd", "skills_loaded", "skill_tokens", "chance", "scripted_model"] as const;
const SKILL_TOKEN_FIELDS = ["listing", "loaded", "tool_defs", "total", "step_max", "step_sum", "steps"] as const;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
// JSON.parse never yields NaN or ±Infinity, but a caller might pass other values: stay exact
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isNonNeg = (v: unknown): boolean => isNum(v) && v >= 0;
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

function keyCount(o: Obj): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function isTimings(v: unknown): boolean {
  return isObj(v) && isNonNeg(v.setup) && isNonNeg(v.agent) && isNonNeg(v.verifier) && isNonNeg(v.teardown) && isNonNeg(v.total) && keyCount(v) === 5;
}

function isTokens(v: unknown): boolean {
  if (!isObj(v) || !isCount(v.prompt) || !isCount(v.completion)) return false;
  return v.cached === undefined ? keyCount(v) === 2 : isCount(v.cached) && keyCount(v) === 3;
}

function isSkillTokens(v: unknown): boolean {
  if (!isObj(v)) return false;
  for (const f of SKILL_TOKEN_FIELDS) if (!isCount(v[f])) return false;
  return keyCount(v) === SKILL_TOKEN_FIELDS.length;
}

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!isStr(x)) return false;
  return true;
}

// CheckSchema is a loose object: extra keys are allowed and kept
function isChecks(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const c of v) {
    if (!isObj(c) || !isStr(c.name) || typeof c.passed !== "boolean" || (c.message !== undefined && !isStr(c.message))) return false;
  }
  return true;
}

/**
 * True when `o` certainly satisfies `TrialRecordSchema` (strict: no unknown keys). False means
 * "not sure": run the schema to get the verdict and its error message.
 */
export function isTrialRecord(o: unknown): boolean {
  if (!isObj(o)) return false;
  if (!(o.v === 1 && isStr(o.key) && isStr(o.trial_id) && Number.isSafeInteger(o.attempt) && (o.attempt as number) >= 1 && isStr(o.task)
    && isStr(o.task_digest) && isStr(o.family) && isStr(o.condition) && (o.library_digest === null || isStr(o.library_digest))
    && isStr(o.agent) && isStr(o.agent_digest) && isCount(o.index) && Number.isSafeInteger(o.seed) && isStr(o.image)
    && isStr(o.outcome) && OUTCOME_SET.has(o.outcome) && (o.reward === null || isNum(o.reward)) && isStr(o.started_at)
    && isStr(o.finished_at) && isTimings(o.timings_ms) && (o.agent_exit_code === null || Number.isSafeInteger(o.agent_exit_code))
    && isStr(o.artifacts_dir))) return false;
  let present = 0;
  for (const f of OPTIONAL) if (o[f] !== undefined) present++;
  if (keyCount(o) !== REQUIRED + present) return false;
  if (present === 0) return true;
  return (o.split === undefined || isStr(o.split)) && (o.role === undefined || isStr(o.role)) && (o.checks === undefined || isChecks(o.checks))
    && (o.error === undefined || isStr(o.error)) && (o.tokens === undefined || isTokens(o.tokens)) && (o.cost_usd === undefined || isNonNeg(o.cost_usd))
    && (o.skills_loaded === undefined || isStringArray(o.skills_loaded)) && (o.skill_tokens === undefined || isSkillTokens(o.skill_tokens))
    && (o.chance === undefined || (isNum(o.chance) && o.chance >= 0 && o.chance <= 1)) && (o.scripted_model === undefined || typeof o.scripted_model === "boolean");
}
