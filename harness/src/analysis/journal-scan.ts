import { open } from "node:fs/promises";
import { OUTCOMES, TrialRecordSchema } from "../run/schema.ts";
import { isTrialRecord } from "./journal-guard.ts";

/**
 * Scans a byte range of `trials.jsonl` into columns (one entry per valid attempt, in line
 * order). Runs in-process or in a worker thread (`journal-worker.ts`), so it returns plain
 * data: typed arrays and string lists that a worker can post cheaply. It only parses and
 * checks lines; which attempt counts per trial key is decided by `mergeParts`
 * (trial-table.ts), which sees all ranges in order.
 */
export interface JournalPart {
  /** physical lines in the range (blank ones included) */
  lines: number;
  /** valid attempts = rows below */
  rows: number;
  /** the first line that is not a valid record: its line number within the range (1-based) and text */
  bad: { line: number; text: string } | null;
  /** a line follows the bad one inside this range (so it cannot be a torn last line) */
  badFollowed: boolean;
  /** interned strings; the id columns index into it */
  strings: string[];
  task: Int32Array;
  condition: Int32Array;
  agent: Int32Array;
  family: Int32Array;
  /** -1 = no role */
  role: Int32Array;
  index: Float64Array;
  attempt: Float64Array;
  /** index into OUTCOMES */
  outcome: Uint8Array;
  /** NaN = null (JSON cannot hold NaN, so the encoding is exact) */
  reward: Float64Array;
  /** NaN = no `tokens` */
  prompt: Float64Array;
  completion: Float64Array;
  cached: Float64Array;
  /** NaN = no `cost_usd` */
  cost: Float64Array;
  /** timings_ms.total / 1000 */
  seconds: Float64Array;
  skills: Float64Array;
  /** NaN = absent: skill_tokens.total, .step_sum, .steps, and chance */
  skillTokens: Float64Array;
  skillStepSum: Float64Array;
  skillSteps: Float64Array;
  chance: Float64Array;
  /** the key is `${task}|${condition}|${agent}|${index}` with no `|` inside the parts */
  keyCanonical: Uint8Array;
  /** the trial id is `${key}#${attempt}` */
  idCanonical: Uint8Array;
  artifacts: string[];
  /** sparse: row → string, only where it cannot be rebuilt or is present */
  keys: Record<number, string>;
  ids: Record<number, string>;
  errors: Record<number, string>;
}

const OUTCOME_INDEX = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));
const CHUNK = 4 << 20;
const BAR = 124; // "|"

/** Reads lines from `start` (a line start) up to `end` (exclusive, a line start or EOF). */
export async function scanRange(file: string, start: number, end: number): Promise<JournalPart> {
  const cols = new Columns();
  const fh = await open(file, "r");
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    let pos = start;
    let lines = 0;
    let bad: JournalPart["bad"] = null;
    let badFollowed = false;
    const onLine = (text: string): boolean => {
      lines++;
      if (bad) {
        badFollowed = true;
        return false;
      }
      if (text.endsWith("\r")) text = text.slice(0, -1);
      if (text.trim() === "") return true;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        bad = { line: lines, text };
        return true;
      }
      if (isTrialRecord(value)) cols.add(value as Rec);
      else {
        // the guard is only sure about the common shapes: the schema has the last word
        const checked = TrialRecordSchema.safeParse(value);
        if (checked.success) cols.add(checked.data);
        else bad = { line: lines, text };
      }
      return true;
    };
    for (;;) {
      if (carry === buf.length) {
        // one line longer than the buffer: grow it
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const want = Math.min(buf.length - carry, end - pos);
      const { bytesRead } = want > 0 ? await fh.read(buf, carry, want, pos) : { bytesRead: 0 };
      pos += bytesRead;
      const len = carry + bytesRead;
      const eof = bytesRead === 0;
      if (len === 0) break;
      const nl = eof ? len : buf.lastIndexOf(10, len - 1);
      if (nl < 0) {
        carry = len;
        continue;
      }
      // a "\n" byte never sits inside a UTF-8 sequence, so decoding up to one is safe
      const text = buf.toString("utf8", 0, nl);
      let from = 0;
      let go = true;
      while (go) {
        const at = text.indexOf("\n", from);
        if (at < 0) {
          if (from < text.length || !eof) go = onLine(text.slice(from));
          break;
        }
        go = onLine(text.slice(from, at));
        from = at + 1;
      }
      if (!go || eof) break;
      carry = len - nl - 1;
      buf.copy(buf, 0, nl + 1, len);
    }
    return cols.finish(lines, bad, badFollowed);
  } finally {
    await fh.close();
  }
}

interface Rec {
  key: string; trial_id: string; attempt: number; task: string; family: string; role?: string; condition: string; agent: string;
  index: number; outcome: string; reward: number | null; error?: string; timings_ms: { total: number };
  tokens?: { prompt: number; completion: number; cached?: number }; cost_usd?: number; skills_loaded?: string[]; artifacts_dir: string;
  skill_tokens?: { total: number; step_sum: number; steps: number }; chance?: number;
}

/** Growable typed columns. */
class Columns {
  n = 0;
  cap = 1 << 14;
  strings: string[] = [];
  ids = new Map<string, number>();
  task = new Int32Array(this.cap);
  condition = new Int32Array(this.cap);
  agent = new Int32Array(this.cap);
  family = new Int32Array(this.cap);
  role = new Int32Array(this.cap);
  index = new Float64Array(this.cap);
  attempt = new Float64Array(this.cap);
  outcome = new Uint8Array(this.cap);
  reward = new Float64Array(this.cap);
  prompt = new Float64Array(this.cap);
  completion = new Float64Array(this.cap);
  cached = new Float64Array(this.cap);
  cost = new Float64Array(this.cap);
  seconds = new Float64Array(this.cap);
  skills = new Float64Array(this.cap);
  skillTokens = new Float64Array(this.cap);
  skillStepSum = new Float64Array(this.cap);
  skillSteps = new Float64Array(this.cap);
  chance = new Float64Array(this.cap);
  keyCanonical = new Uint8Array(this.cap);
  idCanonical = new Uint8Array(this.cap);
  artifacts: string[] = [];
  keys: Record<number, string> = {};
  trialIds: Record<number, string> = {};
  errors: Record<number, string> = {};

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  add(r: Rec): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.task[i] = this.intern(r.task);
    this.condition[i] = this.intern(r.condition);
    this.agent[i] = this.intern(r.agent);
    this.family[i] = this.intern(r.family);
    this.role[i] = r.role === undefined ? -1 : this.intern(r.role);
    this.index[i] = r.index;
    this.attempt[i] = r.attempt;
    this.outcome[i] = OUTCOME_INDEX.get(r.outcome)!;
    this.reward[i] = r.reward ?? NaN;
    const t = r.tokens;
    this.prompt[i] = t ? t.prompt : NaN;
    this.completion[i] = t ? t.completion : NaN;
    this.cached[i] = t ? (t.cached ?? 0) : NaN;
    this.cost[i] = r.cost_usd ?? NaN;
    this.seconds[i] = r.timings_ms.total / 1000;
    this.skills[i] = r.skills_loaded?.length ?? 0;
    const st = r.skill_tokens;
    this.skillTokens[i] = st ? st.total : NaN;
    this.skillStepSum[i] = st ? st.step_sum : NaN;
    this.skillSteps[i] = st ? st.steps : NaN;
    this.chance[i] = r.chance ?? NaN;
    const canonicalKey = isCanonicalKey(r);
    this.keyCanonical[i] = canonicalKey ? 1 : 0;
    if (!canonicalKey) this.keys[i] = r.key;
    const canonicalId = isCanonicalId(r);
    this.idCanonical[i] = canonicalId ? 1 : 0;
    if (!canonicalId) this.trialIds[i] = r.trial_id;
    this.artifacts.push(r.artifacts_dir);
    if (r.error !== undefined) this.errors[i] = r.error;
  }

  grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.task = g(this.task); this.condition = g(this.condition); this.agent = g(this.agent); this.family = g(this.family); this.role = g(this.role);
    this.index = g(this.index); this.attempt = g(this.attempt); this.outcome = g(this.outcome); this.reward = g(this.reward);
    this.prompt = g(this.prompt); this.completion = g(this.completion); this.cached = g(this.cached); this.cost = g(this.cost);
    this.seconds = g(this.seconds); this.skills = g(this.skills);
    this.skillTokens = g(this.skillTokens); this.skillStepSum = g(this.skillStepSum); this.skillSteps = g(this.skillSteps); this.chance = g(this.chance); this.keyCanonical = g(this.keyCanonical); this.idCanonical = g(this.idCanonical);
  }

  finish(lines: number, bad: JournalPart["bad"], badFollowed: boolean): JournalPart {
    const n = this.n;
    return {
      lines, rows: n, bad, badFollowed, strings: this.strings,
      task: this.task.slice(0, n), condition: this.condition.slice(0, n), agent: this.agent.slice(0, n), family: this.family.slice(0, n),
      role: this.role.slice(0, n), index: this.index.slice(0, n), attempt: this.attempt.slice(0, n), outcome: this.outcome.slice(0, n),
      reward: this.reward.slice(0, n), prompt: this.prompt.slice(0, n), completion: this.completion.slice(0, n), cached: this.cached.slice(0, n),
      cost: this.cost.slice(0, n), seconds: this.seconds.slice(0, n), skills: this.skills.slice(0, n),
      skillTokens: this.skillTokens.slice(0, n), skillStepSum: this.skillStepSum.slice(0, n), skillSteps: this.skillSteps.slice(0, n), chance: this.chance.slice(0, n),
      keyCanonical: this.keyCanonical.slice(0, n), idCanonical: this.idCanonical.slice(0, n),
      artifacts: this.artifacts, keys: this.keys, ids: this.trialIds, errors: this.errors,
    };
  }
}

/** `key === `${task}|${condition}|${agent}|${index}`` with no "|" inside task, condition or agent, checked without building the string. */
function isCanonicalKey(r: Rec): boolean {
  const k = r.key;
  const a = r.task.length;
  const b = a + 1 + r.condition.length;
  const c = b + 1 + r.agent.length;
  const idx = String(r.index);
  if (k.length !== c + 1 + idx.length) return false;
  if (k.charCodeAt(a) !== BAR || k.charCodeAt(b) !== BAR || k.charCodeAt(c) !== BAR) return false;
  if (!k.startsWith(r.task) || !k.startsWith(r.condition, a + 1) || !k.startsWith(r.agent, b + 1) || !k.endsWith(idx)) return false;
  return r.task.indexOf("|") < 0 && r.condition.indexOf("|") < 0 && r.agent.indexOf("|") < 0;
}

/** `trial_id === `${key}#${attempt}``. */
function isCanonicalId(r: Rec): boolean {
  const id = r.trial_id;
  const k = r.key;
  const att = String(r.attempt);
  return id.length === k.length + 1 + att.length && id.charCodeAt(k.length) === 35 && id.startsWith(k) && id.endsWith(att);
}
