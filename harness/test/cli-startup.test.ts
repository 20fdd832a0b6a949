// CLI start-up stays cheap: registering every command must not load the heavy dependencies
// (dockerode/protobufjs, bullmq/ioredis, openai, zod, execa); each command loads them in its
// action. Checked by listing the modules a real `skilldelta` process resolves, not by timing,
// so the test does not depend on the machine's load.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { describe, expect, test } from "vitest";
import { registerProtocolCommands } from "../src/cli/commands/protocol.ts";
import { PHASES } from "../src/protocol/index.ts";

const cli = fileURLToPath(new URL("../bin/skilldelta.js", import.meta.url));
const hook = fileURLToPath(new URL("./fixtures/cli/log-imports.mjs", import.meta.url));
const tasks = fileURLToPath(new URL("./fixtures/choice", import.meta.url));
const HEAVY = ["dockerode", "docker-modem", "protobufjs", "bullmq", "ioredis", "openai", "execa", "p-queue", "tar"];

function loaded(...args: string[]): { code: number; stdout: string; packages: Set<string>; files: string[] } {
  const r = spawnSync(process.execPath, ["--import", hook, cli, ...args], { encoding: "utf8" });
  // a package.json resolved (site/tools/build.ts locates astro's bin that way) is not a package loaded
  const urls = r.stderr.split("\n").filter((l) => l.startsWith("MODULE ") && !l.endsWith("/package.json")).map((l) => l.slice(7));
  const packages = new Set(urls.flatMap((u) => [...u.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]!)));
  return { code: r.status ?? -1, stdout: r.stdout, packages, files: urls.filter((u) => u.includes("/harness/src/")).map((u) => u.replace(/.*\/harness\/src\//, "")) };
}

describe("CLI start-up", () => {
  test("--version and --help load commander and the command descriptions only", () => {
    for (const args of [["--version"], ["--help"], ["tasks", "check", "--help"], ["run", "--help"], ["worker", "--help"]]) {
      const r = loaded(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect([...r.packages].sort(), args.join(" ")).toEqual(["commander"]);
      expect(r.files.filter((f) => !f.startsWith("cli/") && !["core/errors.ts", "core/zod-errors.ts", "run/host.ts"].includes(f)), args.join(" ")).toEqual([]);
    }
  });

  test("`tasks list` loads the task loader (zod, smol-toml) but no Docker, queue or model client", () => {
    const r = loaded("tasks", "list", "--json", tasks);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tasks.map((t: { id: string }) => t.id)).toEqual(["choice-q1"]);
    expect(r.packages.has("zod")).toBe(true);
    expect(HEAVY.filter((p) => r.packages.has(p))).toEqual([]);
  });

  test("`protocol --help` lists exactly the protocol's phases (written out so registration stays light)", () => {
    const p = new Command("skilldelta");
    registerProtocolCommands(p);
    const phase = p.commands.find((c) => c.name() === "protocol")!.options.find((o) => o.long === "--phase")!;
    expect(phase.description).toBe(`run one phase only: ${PHASES.join(" | ")}`);
  });
});
