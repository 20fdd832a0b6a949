import { OUTCOMES, type Outcome } from "../run/schema.ts";
import type { JournalPart } from "./journal-scan.ts";
import type { TrialFact } from "./model.ts";

/**
 * The final attempt of every trial key, stored column-wise: a million trials as a million
 * objects cost seconds of garbage collection, as typed arrays almost nothing. Row order is
 * the order in which keys first appear in the journal. Strings (task, condition, agent,
 * family, role) are interned ids into `strings`; keys and trial ids are rebuilt from their
 * parts when the journal wrote them the canonical way, else kept as written.
 */
export class TrialTable {
  readonly n: number;
  readonly strings: readonly string[];
  readonly task: Int32Array;
  readonly condition: Int32Array;
  readonly agent: Int32Array;
  readonly family: Int32Array;
  /** -1 = no role */
  readonly role: Int32Array;
  readonly index: Float64Array;
  readonly attempts: Float64Array;
  readonly outcome: Uint8Array;
  /** NaN = null */
  readonly reward: Float64Array;
  /** NaN = no usage recorded */
  readonly prompt: Float64Array;
  readonly completion: Float64Array;
  readonly cached: Float64Array;
  /** NaN = no cost recorded */
  readonly cost: Float64Array;
  readonly seconds: Float64Array;
  readonly skills: Float64Array;
  /** NaN = absent */
  readonly skillTokens: Float64Array;
  readonly skillStepSum: Float64Array;
  readonly skillSteps: Float64Array;
  readonly chance: Float64Array;
  readonly artifacts: readonly (string | null)[];
  private readonly keys: ReadonlyMap<number, string>;
  private readonly ids: ReadonlyMap<number, string>;
  private readonly errors: ReadonlyMap<number, string>;

  constructor(c: TableColumns) {
    this.n = c.n; this.strings = c.strings; this.task = c.task; this.condition = c.condition; this.agent = c.agent; this.family = c.family;
    this.role = c.role; this.index = c.index; this.attempts = c.attempts; this.outcome = c.outcome; this.reward = c.reward;
    this.prompt = c.prompt; this.completion = c.completion; this.cached = c.cached; this.cost = c.cost; this.seconds = c.seconds;
    this.skills = c.skills; this.skillTokens = c.skillTokens; this.skillStepSum = c.skillStepSum; this.skillSteps = c.skillSteps; this.chance = c.chance; this.artifacts = c.artifacts; this.keys = c.keys; this.ids = c.ids; this.errors = c.errors;
  }

  outcomeOf(i: number): Outcome {
    return OUTCOMES[this.outcome[i]!]!;
  }

  key(i: number): string {
    return this.keys.get(i) ?? `${this.strings[this.task[i]!]}|${this.strings[this.condition[i]!]}|${this.strings[this.agent[i]!]}|${this.index[i]}`;
  }

  trialId(i: number): string {
    return this.ids.get(i) ?? `${this.key(i)}#${this.attempts[i]}`;
  }

  error(i: number): string | null {
    return this.errors.get(i) ?? null;
  }

  /**
   * Every row as a `TrialFact`: small views that read the columns on access (a million plain
   * objects with their key strings cost more memory than the whole table). Read-only in
   * practice: nothing in the analysis writes to a fact.
   */
  facts(): TrialFact[] {
    const out = new Array<TrialFact>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = new TrialView(this, i);
    return out;
  }
}

/** One row of a `TrialTable` seen as a `TrialFact`. */
class TrialView implements TrialFact {
  private readonly t: TrialTable;
  private readonly i: number;
  // the key is compared many times when task pages are sorted: built once
  private k: string | undefined = undefined;
  constructor(t: TrialTable, i: number) {
    this.t = t;
    this.i = i;
  }
  get key(): string { return (this.k ??= this.t.key(this.i)); }
  get trial_id(): string { return this.t.trialId(this.i); }
  get task(): string { return this.t.strings[this.t.task[this.i]!]!; }
  get family(): string { return this.t.strings[this.t.family[this.i]!]!; }
  get role(): string | null { const r = this.t.role[this.i]!; return r < 0 ? null : this.t.strings[r]!; }
  get condition(): string { return this.t.strings[this.t.condition[this.i]!]!; }
  get agent(): string { return this.t.strings[this.t.agent[this.i]!]!; }
  get index(): number { return this.t.index[this.i]!; }
  get outcome(): Outcome { return this.t.outcomeOf(this.i); }
  get reward(): number | null { return nan(this.t.reward[this.i]!); }
  get attempts(): number { return this.t.attempts[this.i]!; }
  // cached tokens are a subset of prompt tokens (OpenAI usage semantics), so not added again
  get tokens(): number | null { const p = this.t.prompt[this.i]!; return Number.isNaN(p) ? null : p + this.t.completion[this.i]!; }
  get prompt_tokens(): number | null { return nan(this.t.prompt[this.i]!); }
  get completion_tokens(): number | null { return Number.isNaN(this.t.prompt[this.i]!) ? null : this.t.completion[this.i]!; }
  get cached_tokens(): number | null { return Number.isNaN(this.t.prompt[this.i]!) ? null : this.t.cached[this.i]!; }
  get cost_usd(): number | null { return nan(this.t.cost[this.i]!); }
  get seconds(): number { return this.t.seconds[this.i]!; }
  get skills_loaded(): number { return this.t.skills[this.i]!; }
  get error(): string | null { return this.t.error(this.i); }
  get artifacts_dir(): string | null { return this.t.artifacts[this.i] ?? null; }
  get skill_tokens(): number | null { return nan(this.t.skillTokens[this.i]!); }
  get skill_step_sum(): number | null { return nan(this.t.skillStepSum[this.i]!); }
  get skill_steps(): number | null { return nan(this.t.skillSteps[this.i]!); }
  get chance(): number | null { return nan(this.t.chance[this.i]!); }
}

const nan = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** What a `TrialTable` is built from. */
export interface TableColumns {
  n: number;
  strings: string[];
  task: Int32Array; condition: Int32Array; agent: Int32Array; family: Int32Array; role: Int32Array;
  index: Float64Array; attempts: Float64Array; outcome: Uint8Array; reward: Float64Array;
  prompt: Float64Array; completion: Float64Array; cached: Float64Array; cost: Float64Array; seconds: Float64Array; skills: Float64Array;
  skillTokens: Float64Array; skillStepSum: Float64Array; skillSteps: Float64Array; chance: Float64Array;
  artifacts: (string | null)[];
  keys: Map<number, string>; ids: Map<number, string>; errors: Map<number, string>;
}

/** An empty table. */
export function emptyTable(): TrialTable {
  return mergeParts([]);
}

/**
 * Keeps, per trial key, the last attempt (highest `attempt`; on a tie the later line) over
 * the parts in file order; rows come out in the order keys first appear. Keys compare as
 * strings: a canonical key is matched by its parts, any other key is split the same way when
 * it has that shape, so both spellings of one key meet.
 */
export function mergeParts(parts: readonly JournalPart[]): TrialTable {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      ids.set(s, id);
    }
    return id;
  };
  const remaps = parts.map((p) => Int32Array.from(p.strings, intern));
  // class → slot: canonical keys via task → condition → agent → index arrays, odd ones by string
  const byParts: (number[] | Map<number, number>)[][][] = [];
  const byString = new Map<string, number>();
  let slots = 0;
  const total = parts.reduce((s, p) => s + p.rows, 0);
  const chosenPart = new Int32Array(total);
  const chosenRow = new Int32Array(total);
  const chosenAttempt = new Float64Array(total);
  const lookup = (t: number, c: number, a: number, index: number): number => {
    const bt = byParts[t] ?? (byParts[t] = []);
    const bc = bt[c] ?? (bt[c] = []);
    let cell = bc[a];
    if (cell === undefined) bc[a] = cell = [];
    if (Array.isArray(cell) && index >= 1 << 24) {
      // huge indices would make a sparse array slow: switch this cell to a Map
      const m = new Map<number, number>();
      cell.forEach((v, k) => m.set(k, v));
      bc[a] = cell = m;
    }
    const got = Array.isArray(cell) ? cell[index] : cell.get(index);
    if (got !== undefined) return got;
    const s = slots++;
    if (Array.isArray(cell)) cell[index] = s;
    else cell.set(index, s);
    return s;
  };
  parts.forEach((p, pi) => {
    const remap = remaps[pi]!;
    for (let r = 0; r < p.rows; r++) {
      let slot: number;
      if (p.keyCanonical[r]) slot = lookup(remap[p.task[r]!]!, remap[p.condition[r]!]!, remap[p.agent[r]!]!, p.index[r]!);
      else {
        const key = p.keys[r]!;
        const bits = key.split("|");
        const idx = bits.length === 4 ? Number(bits[3]) : NaN;
        if (Number.isSafeInteger(idx) && idx >= 0 && String(idx) === bits[3]) slot = lookup(intern(bits[0]!), intern(bits[1]!), intern(bits[2]!), idx);
        else {
          const got = byString.get(key);
          slot = got ?? slots++;
          if (got === undefined) byString.set(key, slot);
        }
      }
      // attempts are >= 1, so a new slot (0) always takes the row; else a higher attempt
      // wins and a tie goes to the later line
      if (chosenAttempt[slot]! > p.attempt[r]!) continue;
      chosenPart[slot] = pi;
      chosenRow[slot] = r;
      chosenAttempt[slot] = p.attempt[r]!;
    }
  });
  return gather(parts, remaps, strings, slots, chosenPart, chosenRow);
}

function gather(parts: readonly JournalPart[], remaps: Int32Array[], strings: string[], n: number, cp: Int32Array, cr: Int32Array): TrialTable {
  const c: TableColumns = {
    n, strings,
    task: new Int32Array(n), condition: new Int32Array(n), agent: new Int32Array(n), family: new Int32Array(n), role: new Int32Array(n),
    index: new Float64Array(n), attempts: new Float64Array(n), outcome: new Uint8Array(n), reward: new Float64Array(n),
    prompt: new Float64Array(n), completion: new Float64Array(n), cached: new Float64Array(n), cost: new Float64Array(n),
    seconds: new Float64Array(n), skills: new Float64Array(n),
    skillTokens: new Float64Array(n), skillStepSum: new Float64Array(n), skillSteps: new Float64Array(n), chance: new Float64Array(n), artifacts: new Array<string | null>(n),
    keys: new Map(), ids: new Map(), errors: new Map(),
  };
  for (let s = 0; s < n; s++) {
    const p = parts[cp[s]!]!;
    const m = remaps[cp[s]!]!;
    const r = cr[s]!;
    c.task[s] = m[p.task[r]!]!; c.condition[s] = m[p.condition[r]!]!; c.agent[s] = m[p.agent[r]!]!; c.family[s] = m[p.family[r]!]!;
    c.role[s] = p.role[r]! < 0 ? -1 : m[p.role[r]!]!;
    c.index[s] = p.index[r]!; c.attempts[s] = p.attempt[r]!; c.outcome[s] = p.outcome[r]!; c.reward[s] = p.reward[r]!;
    c.prompt[s] = p.prompt[r]!; c.completion[s] = p.completion[r]!; c.cached[s] = p.cached[r]!; c.cost[s] = p.cost[r]!;
    c.seconds[s] = p.seconds[r]!; c.skills[s] = p.skills[r]!;
    c.skillTokens[s] = p.skillTokens[r]!; c.skillStepSum[s] = p.skillStepSum[r]!; c.skillSteps[s] = p.skillSteps[r]!; c.chance[s] = p.chance[r]!; c.artifacts[s] = p.artifacts[r]!;
    if (!p.keyCanonical[r]) c.keys.set(s, p.keys[r]!);
    if (!p.idCanonical[r]) c.ids.set(s, p.ids[r]!);
    const e = p.errors[r];
    if (e !== undefined) c.errors.set(s, e);
  }
  return new TrialTable(c);
}
