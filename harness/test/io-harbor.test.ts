import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseRun } from "../src/analysis/index.ts";
import { classifyHarborTrial, HarborTrialResultSchema, importHarborJobs, inferCondition, writeImportedRun } from "../src/io/index.ts";
import { TrialRecordSchema } from "../src/run/index.ts";
import { SHARED_FIXTURES } from "./shared-fixtures.ts";

const ROOT = join(SHARED_FIXTURES, "harbor-jobs/skillsbench-trajectories");
const JOB_A = `${ROOT}/shenghan/gemini-cli/gemini3flash/noskills/gemini-cli-gemini3flash-noskills-azure-bgp-oscillation-route-le-bff0de`;
const JOB_B = `${ROOT}/shenghan/gemini-cli/gemini3flash/skills/gemini-cli-gemini3flash-skills-azure-bgp-oscillation-route-le-c42d73`;
const JOB_C = `${ROOT}/minimax-m2.1+claude-code/no_skills`;

describe("Harbor job import (real fixtures)", () => {
  it("maps jobs A and B to a matched no-skill / curated pair with the right outcome classes", async () => {
    const run = await importHarborJobs([JOB_A, JOB_B], { createdAt: "2026-01-01T00:00:00Z" });
    expect(run.conditions.sort()).toEqual(["curated", "no-skill"]);
    const a = run.records.find((r) => r.condition === "no-skill")!;
    const b = run.records.find((r) => r.condition === "curated")!;
    // A: docker build failed before the agent ran
    expect(a).toMatchObject({ task: "azure-bgp-oscillation-route-leak", outcome: "infra_error", reward: null, index: 0 });
    expect(a.error).toMatch(/^RuntimeError: /);
    // B: completed, reward 0.0, tokens from agent_result
    expect(b).toMatchObject({ outcome: "failed", reward: 0, agent: "gemini-cli-gemini-3-flash-preview" });
    expect(b.tokens!.prompt).toBe(85543);
    expect(b.timings_ms.total).toBeGreaterThan(b.timings_ms.agent);
    for (const r of run.records) expect(() => TrialRecordSchema.parse(r)).not.toThrow();
  });

  it("keeps trial granularity in job C: indices by start time, timeouts with a reward, verifier errors, and warns about absent folders", async () => {
    const run = await importHarborJobs([JOB_C], { createdAt: "x" });
    const by = (task: string) => run.records.filter((r) => r.task === task);
    expect(by("3d-scan-calc").map((r) => r.index).sort()).toEqual([0, 1]);
    expect(by("3d-scan-calc").map((r) => r.outcome).sort()).toEqual(["failed", "passed"]);
    expect(by("earthquake-phase-association")[0]).toMatchObject({ outcome: "agent_timeout", reward: 1 });
    expect(by("manufacturing-equipment-maintenance")[0]).toMatchObject({ outcome: "verifier_error", reward: null });
    expect(run.records.every((r) => r.condition === "no-skill")).toBe(true);
    expect((run.provenance.warnings as string[])[0]).toMatch(/lists 425 trials, 4 trial folder\(s\) found; 421 not imported/);
  });

  it("writes a run the analysis reads: the timeout is scored as a failure, the verifier error excluded", async () => {
    const run = await importHarborJobs([JOB_C], { id: "c", createdAt: "x" });
    const dir = await writeImportedRun(mkdtempSync(join(tmpdir(), "sd-harbor-")), run);
    const { summary } = await analyseRun(dir, { seed: 1 });
    const row = summary.methods[0]!;
    expect(row.denominators).toMatchObject({ scored: 3, passed: 1, agent_timeout: 1, verifier_error: 1 });
    expect(row.skill_use).toBeNull(); // Harbor results cannot tell whether a skill was loaded
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8"))).toMatchObject({ source: "imported", attestation: "imported" });
  });

  it("infers conditions from SkillsBench naming and asks for --condition otherwise", async () => {
    expect(inferCondition(["gemini-cli-gemini3flash-noskills-azure"])).toBe("no-skill");
    expect(inferCondition(["/home/u/skillsbench/tasks-no-skills/x"])).toBe("no-skill");
    expect(inferCondition(["gemini-cli-gemini3flash-skills-azure"])).toBe("curated");
    expect(inferCondition(["2026-01-29__10-03-50", null])).toBeNull();
    const run = await importHarborJobs([JOB_C], { condition: "raw-trace", createdAt: "x" });
    expect(run.records.every((r) => r.condition === "raw-trace")).toBe(true);
    await expect(importHarborJobs([`${JOB_C}/3d-scan-calc__H3b5QLh`], { createdAt: "x" })).rejects.toThrow(/trial folder, not a job folder/);
    // a job whose name and paths say nothing about skills
    const job = join(mkdtempSync(join(tmpdir(), "sd-harbor-")), "2026-01-29__10-03-50");
    mkdirSync(join(job, "t__abc"), { recursive: true });
    writeFileSync(join(job, "config.json"), JSON.stringify({ job_name: "2026-01-29__10-03-50", datasets: [{ path: "/x/tasks" }] }));
    writeFileSync(join(job, "result.json"), JSON.stringify({ n_total_trials: 1, stats: {} }));
    writeFileSync(join(job, "t__abc", "result.json"), JSON.stringify({ task_name: "t", trial_name: "t__abc", task_id: { path: "/x/tasks/t" } }));
    await expect(importHarborJobs([job], { createdAt: "x" })).rejects.toMatchObject({ field: "job_name", hint: expect.stringContaining("--condition") });
    await expect(importHarborJobs([job], { createdAt: "x", condition: "curated" })).resolves.toMatchObject({ conditions: ["curated"] });
  });

  it("classifies an agent crash mid-run as agent_error and a judge failure after the verifier started as verifier_error", () => {
    const base = HarborTrialResultSchema.parse({ task_name: "t", trial_name: "t__1", agent_execution: { started_at: "2026-01-01T00:00:00Z", finished_at: "2026-01-01T00:01:00Z" } });
    expect(classifyHarborTrial({ ...base, exception_info: { exception_type: "RuntimeError" } }).outcome).toBe("agent_error");
    expect(classifyHarborTrial({ ...base, verifier: { started_at: "2026-01-01T00:01:00Z" }, exception_info: { exception_type: "ValueError" } }).outcome).toBe("verifier_error");
    expect(classifyHarborTrial({ ...base, verifier_result: { rewards: { reward: 0.833 } } })).toEqual({ outcome: "failed", reward: 0.833 });
  });
});
