import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syntheticRecords } from "../src/analysis/index.ts";
import { CELL_COLUMNS, exportCsv, TRIAL_COLUMNS } from "../src/io/index.ts";

describe("CSV export", () => {
  it("writes one row per trial and one per task × condition × agent, quoting awkward text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sd-csv-"));
    const records = [...syntheticRecords({ seed: 1, tasks: 3, conditions: ["no-skill", "curated"], agents: 2, trials: 4, infraRate: 0.2 })];
    // an error message with a comma, a quote and a newline must survive as one field
    const last = records[records.length - 1]!;
    records.push({ ...last, attempt: last.attempt + 1, outcome: "agent_error", reward: null, error: 'boom, "quoted"\nsecond line' });
    writeFileSync(join(dir, "trials.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const [trials, cells] = await exportCsv(dir, join(dir, "out"));
    const trialText = readFileSync(trials!, "utf8");
    const cellText = readFileSync(cells!, "utf8");
    expect(trialText.split("\n")[0]).toBe(TRIAL_COLUMNS.join(","));
    expect(cellText.split("\n")[0]).toBe(CELL_COLUMNS.join(","));
    // 3 tasks × 2 conditions × 2 agents × 4 trials; the embedded newline adds one physical line
    expect(trialText.trimEnd().split("\n")).toHaveLength(1 + 48 + 1);
    expect(trialText).toContain('"boom, ""quoted""\nsecond line"');
    expect(cellText.trimEnd().split("\n")).toHaveLength(1 + 12);
    const row = cellText.split("\n")[1]!.split(",");
    expect(Number(row[CELL_COLUMNS.indexOf("scored")])).toBeGreaterThan(0);
  });
});
