import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JournalWriter, isComplete, readJournal, type TrialRecord } from "../../src/run/index.ts";

function record(key: string, attempt: number, outcome: TrialRecord["outcome"]): TrialRecord {
  return {
    v: 1, key, trial_id: `${key}-${attempt}`, attempt, task: "t", task_digest: "d", family: "f", condition: "no-skill", library_digest: null,
    agent: "oracle", agent_digest: "x", index: 0, seed: 1, image: "img", outcome, reward: outcome === "passed" ? 1 : 0, checks: [],
    started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:00:01.000Z",
    timings_ms: { setup: 1, agent: 1, verifier: 1, teardown: 1, total: 4 }, agent_exit_code: 0, skills_loaded: [], artifacts_dir: "trials/x",
  };
}

describe("journal", () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), "sd-journal-")); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it("drops a torn last line, keeps every complete one, and appends cleanly after it", async () => {
    const file = join(dir, "trials.jsonl");
    const w = await JournalWriter.open(file);
    await w.append(record("a", 1, "passed"));
    await w.append(record("b", 1, "failed"));
    await w.close();
    await appendFile(file, JSON.stringify(record("c", 1, "passed")).slice(0, 57)); // kill -9 mid-write
    const torn = await readJournal(file);
    expect([...torn.latest.keys()]).toEqual(["a", "b"]);
    expect(torn.tornBytes).toBe(57);

    const w2 = await JournalWriter.open(file);
    await w2.append(record("c", 1, "passed"));
    await w2.close();
    const text = await readFile(file, "utf8");
    expect(text.split("\n").filter(Boolean).map((l) => JSON.parse(l).key)).toEqual(["a", "b", "c"]);
    expect((await readJournal(file)).tornBytes).toBe(0);
  });

  it("refuses a damaged line in the middle instead of skipping it", async () => {
    const file = join(dir, "trials.jsonl");
    await writeFile(file, `${JSON.stringify(record("a", 1, "passed"))}\n{not json}\n${JSON.stringify(record("b", 1, "passed"))}\n`);
    await expect(readJournal(file)).rejects.toThrow(/line 2 is not valid JSON/);
  });

  it("treats infra errors as incomplete until the retries are used up", async () => {
    const file = join(dir, "trials.jsonl");
    const w = await JournalWriter.open(file);
    await w.append(record("a", 1, "infra_error"));
    await w.append(record("b", 1, "agent_timeout"));
    await w.close();
    const s = await readJournal(file);
    expect(isComplete(s, "a", 2)).toBe(false);
    expect(isComplete(s, "a", 0)).toBe(true);
    expect(isComplete(s, "b", 2)).toBe(true); // timeouts are never retried
    expect(isComplete(s, "missing", 2)).toBe(false);
  });

  it("serialises concurrent appends into whole lines", async () => {
    const file = join(dir, "trials.jsonl");
    const w = await JournalWriter.open(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.append(record(`k${i}`, 1, "passed"))));
    await w.close();
    expect((await readJournal(file)).latest.size).toBe(50);
  });
});
