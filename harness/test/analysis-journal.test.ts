import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../src/core/errors.ts";
import { readJournal, syntheticRecords } from "../src/analysis/index.ts";
import { isTrialRecord } from "../src/analysis/journal-guard.ts";
import { TrialRecordSchema, type TrialRecord } from "../src/run/schema.ts";

const dir = mkdtempSync(join(tmpdir(), "sd-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (): TrialRecord => [...syntheticRecords({ seed: 3, tasks: 1, conditions: ["curated"], agents: 1, trials: 1 })][0]!;
const FIELDS = Object.keys(TrialRecordSchema.shape);

/** Independent reference: JSON.parse + zod per line, last attempt per key (tie → later line), first-seen order. */
function reference(lines: string[]): Map<string, TrialRecord & { attempts: number }> {
  const byKey = new Map<string, TrialRecord & { attempts: number }>();
  for (const l of lines) {
    if (l.trim() === "") continue;
    const r = TrialRecordSchema.parse(JSON.parse(l));
    const prev = byKey.get(r.key);
    if (prev && prev.attempt > r.attempt) continue;
    byKey.set(r.key, { ...r, attempts: r.attempt });
  }
  return byKey;
}

function write(name: string, lines: string[], tail = "\n"): string {
  const f = join(dir, name);
  writeFileSync(f, lines.join("\n") + tail);
  return f;
}

describe("journal guard", () => {
  it("never accepts what the schema rejects, and accepts the common valid shapes", () => {
    const b = base() as unknown as Record<string, unknown>;
    const variants: unknown[] = [b, { ...b, role: undefined }, { ...b, checks: [{ name: "c", passed: true, message: "m", extra: 1 }] },
      { ...b, tokens: { prompt: 1, completion: 2 } }, { ...b, error: "e", cost_usd: 0.5, chance: 0.2, split: "test", scripted_model: true },
      { ...b, skill_tokens: { listing: 1, loaded: 2, tool_defs: 3, total: 6, step_max: 4, step_sum: 9, steps: 3 } }];
    for (const v of variants) {
      const clean = JSON.parse(JSON.stringify(v));
      expect(isTrialRecord(clean)).toBe(true);
      expect(TrialRecordSchema.safeParse(clean).success).toBe(true);
    }
    // one mutation per field: removed, wrong type, null, and out-of-range numbers; plus an unknown key
    const bad: unknown[] = [{ ...b, unknown: 1 }, JSON.parse(`{"__proto__":1,${JSON.stringify(b).slice(1)}`), [], null, "x",
      { ...b, attempt: 0 }, { ...b, index: -1 }, { ...b, index: 1.5 }, { ...b, seed: 2 ** 60 }, { ...b, outcome: "won" }, { ...b, chance: 2 },
      { ...b, cost_usd: -1 }, { ...b, tokens: { prompt: 1, completion: 2, cached: 1, x: 1 } }, { ...b, timings_ms: { ...(b.timings_ms as object), total: -1 } },
      { ...b, checks: [{ name: "c" }] }, { ...b, skills_loaded: [1] }, { ...b, skill_tokens: { total: 1 } }, { ...b, v: 2 }];
    for (const f of FIELDS) {
      const { [f]: _drop, ...without } = b;
      bad.push(without, { ...b, [f]: 12.5 }, { ...b, [f]: "s" }, { ...b, [f]: null }, { ...b, [f]: {} });
    }
    let accepted = 0;
    for (const v of bad) {
      const clean = v === null || typeof v !== "object" ? v : JSON.parse(JSON.stringify(v));
      if (isTrialRecord(clean)) {
        accepted++;
        expect(TrialRecordSchema.safeParse(clean).success, JSON.stringify(clean)).toBe(true);
      }
    }
    // removing an optional field or nulling a nullable one is still valid, so some are accepted
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(bad.length / 3);
  });
});

describe("readJournal", () => {
  // retries, odd keys and ids, errors, blank and CRLF lines, a later lower attempt, a repeated key
  const recs = [...syntheticRecords({ seed: 5, tasks: 4, conditions: ["no-skill", "curated"], agents: 2, trials: 6, infraRate: 0.3 })];
  const odd = (r: TrialRecord, patch: Partial<TrialRecord>) => JSON.stringify({ ...r, ...patch });
  const lines = recs.map((r) => JSON.stringify(r));
  const r0 = recs[0]!;
  lines.splice(7, 0, odd(r0, { key: "odd|key", trial_id: "custom-id", attempt: 1 }), "", odd(r0, { key: "odd|key", attempt: 3, error: "late" }) + "\r", odd(r0, { key: "odd|key", attempt: 2 }));
  // the same key spelled by another record's fields: must meet the canonical one
  lines.push(odd(recs[3]!, { key: recs[5]!.key, attempt: 9, trial_id: "moved" }));
  lines.push(odd(r0, { key: r0.key, attempt: 1, outcome: "failed", error: "same attempt, later line wins" }));

  it("gives the same final trials as a sequential zod read, on one thread and on several", async () => {
    const f = write("good.jsonl", lines);
    const ref = [...reference(lines).values()];
    for (const threads of [1, 3]) {
      const { trials, stats } = await readJournal(f, { threads });
      expect(stats).toEqual({ lines: lines.length, attempts: lines.length - 1, torn_lines: 0, final_trials: ref.length });
      expect(trials.map((t) => [t.key, t.trial_id, t.task, t.condition, t.agent, t.index, t.outcome, t.reward, t.attempts, t.error, t.artifacts_dir, t.tokens, t.skills_loaded, t.seconds]))
        .toEqual(ref.map((r) => [r.key, r.trial_id, r.task, r.condition, r.agent, r.index, r.outcome, r.reward, r.attempts, r.error ?? null, r.artifacts_dir,
          r.tokens ? r.tokens.prompt + r.tokens.completion : null, r.skills_loaded.length, r.timings_ms.total / 1000]));
    }
  });

  it("skips a torn last line and names the first bad line elsewhere, whichever range holds it", async () => {
    const torn = write("torn.jsonl", [...lines, lines[3]!.slice(0, 40)], "");
    for (const threads of [1, 3]) expect((await readJournal(torn, { threads })).stats.torn_lines).toBe(1);
    const late = lines.length - 4;
    const broken = [...lines];
    broken[late] = "{oops";
    const badJson = write("bad-json.jsonl", broken);
    const schema = [...lines];
    schema[late] = odd(recs[2]!, { outcome: "won" as TrialRecord["outcome"] });
    const badField = write("bad-field.jsonl", schema);
    for (const threads of [1, 3]) {
      await expect(readJournal(badJson, { threads })).rejects.toMatchObject({ file: `${badJson}:${late + 1}`, message: expect.stringMatching(/is not valid JSON/) });
      const err = await readJournal(badField, { threads }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect(err).toMatchObject({ file: `${badField}:${late + 1}`, field: "outcome" });
    }
    // a bad line followed only by a blank line is not a torn write
    const blank = write("blank.jsonl", [...lines, "{oops", "", ""], "");
    for (const threads of [1, 3]) await expect(readJournal(blank, { threads })).rejects.toMatchObject({ file: `${blank}:${lines.length + 1}` });
  });
});
