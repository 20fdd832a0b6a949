import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { SkillDeltaError } from "../core/errors.ts";
import type { MethodConfig } from "./config.ts";
import type { LearningContext } from "./context.ts";
import { guardedCommand, type GuardSpec } from "./guard.ts";
import { ZERO_COST, type Learner, type LearnerRuntime, type LearningCost } from "./types.ts";

/**
 * Methods that run as separate processes, under the leakage guard: an external `command`, or a
 * `module` exporting a Learner (run by module-runner.ts in a child Node process).
 *
 * Protocol of an external method: it reads the JSON learning context from `$SKILLDELTA_CONTEXT`
 * (schema: learner/context.ts), writes skill folders into `$SKILLDELTA_OUTPUT`, may write
 * `{"prompt_tokens", "completion_tokens", "usd"}` to `$SKILLDELTA_USAGE`, may ask for extra
 * acquisition attempts in `$SKILLDELTA_EXPLORE` (learner/explore.ts), and exits 0.
 * The skill-writing model's endpoint and key are forwarded under the env var names the
 * context's `model` block gives.
 */

/** What a method may report in `$SKILLDELTA_USAGE`. */
export const MethodUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().min(0).default(0),
  completion_tokens: z.number().int().min(0).default(0),
  usd: z.number().min(0).default(0),
  scripted_model: z.boolean().default(false),
});

const LOG_CAP = 256 * 1024;
const runnerPath = fileURLToPath(new URL("./module-runner.ts", import.meta.url));

type Of<K extends MethodConfig["kind"]> = Extract<MethodConfig, { kind: K }>;

/** Extra runtime a process method needs: where relative paths resolve and what to hide. */
export interface ProcessDeps {
  guard: GuardSpec;
  /** base for relative `cwd` / `module` paths (the run.toml's directory) */
  baseDir: string;
}

/** An external command as a method (`kind = "command"`); it runs under the guard. @throws SkillDeltaError from `learn` when the command fails, times out or the guard is unavailable */
export function commandLearner(cfg: Of<"command">, deps: ProcessDeps): Learner {
  return {
    kind: cfg.kind,
    config: { ...cfg },
    learn: (ctx, rt) => runProcess(cfg.command, { cwd: resolve(deps.baseDir, cfg.cwd ?? "."), timeoutSec: cfg.timeout_sec, passEnv: cfg.pass_env, model: cfg.model }, ctx, rt, deps.guard),
  };
}

/** A module exporting a Learner (`kind = "module"`), run by module-runner.ts in a guarded child process. @throws SkillDeltaError from `learn` as for commands */
export function moduleLearner(cfg: Of<"module">, deps: ProcessDeps): Learner {
  const module = resolve(deps.baseDir, cfg.module);
  return {
    kind: cfg.kind,
    config: { ...cfg, module },
    learn: (ctx, rt) => runProcess([process.execPath, runnerPath, module, cfg.export, "{context}", "{output}", JSON.stringify(cfg.options)], { cwd: deps.baseDir, timeoutSec: cfg.timeout_sec, passEnv: [], model: cfg.model }, ctx, rt, deps.guard),
  };
}

async function runProcess(
  argv: readonly string[],
  opts: { cwd: string; timeoutSec: number; passEnv: string[]; model?: Of<"command">["model"] },
  ctx: LearningContext,
  rt: LearnerRuntime,
  guard: GuardSpec,
): Promise<LearningCost> {
  await mkdir(rt.workDir, { recursive: true });
  await mkdir(rt.outDir, { recursive: true });
  const contextFile = join(rt.workDir, "context.json");
  const usageFile = join(rt.workDir, "usage.json");
  const logFile = join(rt.workDir, "method.log");
  await writeFile(contextFile, `${JSON.stringify({ ...ctx, model: opts.model ?? ctx.model }, null, 2)}\n`);
  const names = [...opts.passEnv, ...(opts.model ? [opts.model.base_url_env, opts.model.api_key_env] : [])];
  // Only what the method needs: no inherited secrets beyond the names it declared.
  const env: Record<string, string> = {
    PATH: rt.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: rt.workDir,
    LANG: "C.UTF-8",
    SKILLDELTA_CONTEXT: contextFile,
    SKILLDELTA_OUTPUT: rt.outDir,
    SKILLDELTA_USAGE: usageFile,
    // Where an exploration request goes (read only when the method has a budget).
    SKILLDELTA_EXPLORE: join(rt.workDir, "explore.json"),
  };
  for (const n of names) if (rt.env[n] !== undefined) env[n] = rt.env[n]!;
  const filled = argv.map((a) => a.replaceAll("{context}", contextFile).replaceAll("{output}", rt.outDir));
  const { file, args } = await guardedCommand(filled, guard);
  const t0 = Date.now();
  const r = await execa(file, args, { cwd: opts.cwd, env, extendEnv: false, reject: false, timeout: opts.timeoutSec * 1000, maxBuffer: LOG_CAP, stdin: "ignore" });
  const seconds = (Date.now() - t0) / 1000;
  await appendFile(logFile, `$ ${filled.join(" ")}  (exit ${r.exitCode ?? "none"}${r.timedOut ? ", timed out" : ""})\n${String(r.stdout)}\n--- stderr ---\n${String(r.stderr)}\n`);
  for (const line of String(r.stderr).split("\n").filter(Boolean).slice(-20)) rt.log(`[method] ${line}`);
  if (r.timedOut) throw new SkillDeltaError("SD_CHECK_FAILED", `learning method exceeded its ${opts.timeoutSec}s timeout`, { file: logFile, field: "learning.methods.timeout_sec" });
  if (r.exitCode !== 0) {
    // Node and Python end a crash with version or frame lines; the line naming the error says more.
    const lines = String(r.stderr).trim().split("\n").filter((l) => l.trim());
    const reason = lines.findLast((l) => /error|exception|denied|not found/i.test(l)) ?? lines.at(-1) ?? "";
    throw new SkillDeltaError("SD_CHECK_FAILED", `learning method exited with ${r.exitCode ?? r.signal}: ${reason.trim()}`, { file: logFile, hint: "see the method log; the method must write skills into $SKILLDELTA_OUTPUT and exit 0" });
  }
  const usage = MethodUsageSchema.safeParse(JSON.parse((await readFile(usageFile, "utf8").catch(() => "{}")) || "{}"));
  const u = usage.success ? usage.data : MethodUsageSchema.parse({});
  return { ...ZERO_COST, prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, usd: u.usd, scripted_model: u.scripted_model, seconds };
}
