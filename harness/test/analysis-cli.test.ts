import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { syntheticRecords } from "../src/analysis/index.ts";
import { registerAnalysisCommands } from "../src/cli/commands/analysis.ts";

function program(): { p: Command; out: () => string } {
  const p = new Command("skilldelta").exitOverride();
  p.configureOutput({ writeOut: (s) => chunks.push(s), writeErr: (s) => chunks.push(s) });
  registerAnalysisCommands(p);
  const chunks: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (chunks.push(String(s)), true));
  return { p, out: () => chunks.join("") };
}

afterEach(() => vi.restoreAllMocks());

describe("analysis CLI", () => {
  it("every command's help has a description and an example", () => {
    const { p } = program();
    const all = [...p.commands, ...p.commands.flatMap((c) => c.commands)].filter((c) => c.commands.length === 0);
    expect(all.map((c) => c.name()).sort()).toEqual(["analyse", "export", "harbor", "report", "skillsbench"]);
    for (const c of all) {
      expect(c.description().length).toBeGreaterThan(20);
      let help = "";
      c.configureOutput({ writeOut: (s) => (help += s) });
      c.outputHelp();
      expect(help).toMatch(/Example:\n {2}skilldelta /);
    }
  });

  it("analyse writes summary.json; report prints rates, deltas and denominators; --json prints the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sd-cli-"));
    const recs = [...syntheticRecords({ seed: 2, tasks: 6, conditions: ["no-skill", "curated"], agents: 1, trials: 3, effect: { curated: 0.3 } })];
    writeFileSync(join(dir, "trials.jsonl"), recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
    let cli = program();
    await cli.p.parseAsync(["node", "skilldelta", "analyse", dir, "--seed", "4", "--resamples", "200"]);
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
    cli = program();
    await cli.p.parseAsync(["node", "skilldelta", "report", dir]);
    expect(cli.out()).toMatch(/curated vs no-skill/);
    expect(cli.out()).toMatch(/95% CI/);
    expect(cli.out()).toMatch(/Denominators \(all agent rows\): 36 final trials/);
    cli = program();
    await cli.p.parseAsync(["node", "skilldelta", "report", dir, "--json"]);
    expect(JSON.parse(cli.out()).method.seed).toBe(4);
  });

  it("input errors name the file or flag and say what to do", async () => {
    let cli = program();
    await expect(cli.p.parseAsync(["node", "skilldelta", "report", "/nonexistent/run"])).rejects.toMatchObject({ code: "SD_NOT_FOUND", hint: expect.stringContaining("results/") });
    const dir = mkdtempSync(join(tmpdir(), "sd-cli-"));
    writeFileSync(join(dir, "trials.jsonl"), "");
    cli = program();
    await expect(cli.p.parseAsync(["node", "skilldelta", "analyse", dir, "--seed", "x"])).rejects.toMatchObject({ code: "SD_INPUT_INVALID", field: "--seed" });
    cli = program();
    await expect(cli.p.parseAsync(["node", "skilldelta", "export", dir])).rejects.toMatchObject({ field: "--csv" });
  });
});
