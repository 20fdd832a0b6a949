import { AgentConfigSchema, type AgentConfig } from "../agent/index.ts";
import { diffLocks, type ImageInfo, type Lock } from "../run/index.ts";
import type { Task } from "../task/index.ts";
import type { LoadedRun, RunProblem } from "./run-checks.ts";

/**
 * Preconditions of `submit reproduce`, as pure functions returning problems (the caller refuses
 * with all of them at once): the local suite holds the bundle's tasks unchanged, the local images
 * are the ones the bundle ran on, and every agent config can run on this machine.
 */

/** Where the submitter's harness and suite came from, for hints. */
export function provenance(loaded: LoadedRun): string {
  const h = loaded.run.host;
  return `harness ${h.harness_version}${h.git_commit ? `, git commit ${h.git_commit.slice(0, 12)}` : ""}`;
}

/** Every task of the bundle's lock is in the local suite with the same digest. Pure. */
export function localSuiteProblems(lock: Lock, local: readonly Task[]): RunProblem[] {
  const byId = new Map(local.map((t) => [t.id, t]));
  const out: RunProblem[] = [];
  for (const [id, locked] of Object.entries(lock.tasks).sort(([a], [b]) => a.localeCompare(b))) {
    const t = byId.get(id);
    if (!t) out.push({ field: `lock.tasks.${id}`, message: `task ${id} is not in the local suite` });
    else if (t.digest !== locked.digest) {
      out.push({ field: `lock.tasks.${id}.digest`, message: `task ${id} changed: the bundle ran ${locked.digest.slice(0, 12)}, the local suite has ${t.digest.slice(0, 12)} (instruction, task.toml, environment, tests or solution differ)` });
    }
  }
  return out;
}

/** Every task's local image has the image id the bundle's lock recorded. Pure. */
export function imageProblems(lock: Lock, images: ReadonlyMap<string, ImageInfo>, failures: readonly { task: string; reason: string }[]): RunProblem[] {
  const out: RunProblem[] = failures.map((f) => ({ field: `lock.tasks.${f.task}.image`, message: `the image of ${f.task} did not build here: ${f.reason.split("\n")[0]}` }));
  for (const [id, locked] of Object.entries(lock.tasks).sort(([a], [b]) => a.localeCompare(b))) {
    const img = images.get(id);
    if (img && img.imageId !== locked.image_id) {
      out.push({ field: `lock.tasks.${id}.image_id`, message: `task ${id}'s image differs: the bundle ran ${short(locked.image_id)}, this machine built ${short(img.imageId)}` });
    }
  }
  return out;
}

/**
 * The bundle's agent configs, validated, and what each needs from this machine: an `openai`
 * agent the endpoint variables the config names (only names are recorded, never values), a
 * `command` agent its `pass_env` variables; a `replay` agent re-executes files from the
 * submitter's disk and cannot be reproduced elsewhere. Pure apart from reading `env`.
 */
export function agentProblems(loaded: LoadedRun, env: Record<string, string | undefined>): { agents: AgentConfig[]; problems: RunProblem[] } {
  const raw = (loaded.run.config.agents as unknown[] | undefined) ?? [];
  const agents: AgentConfig[] = [];
  const problems: RunProblem[] = [];
  raw.forEach((a, i) => {
    const parsed = AgentConfigSchema.safeParse(a);
    if (!parsed.success) return void problems.push({ field: `config.agents[${i}]`, message: `not a valid agent config for this harness: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}` });
    const cfg = parsed.data;
    agents.push(cfg);
    const set = (name: string) => Boolean(env[name]?.trim());
    if (cfg.kind === "openai" && !set(cfg.api_key_env) && !set(cfg.base_url_env)) {
      problems.push({
        field: `config.agents[${i}]`,
        message: `agent \`${cfg.id}\` (openai, model ${cfg.model}) needs the maintainer's endpoint: set ${cfg.api_key_env} (and ${cfg.base_url_env} for a non-OpenAI endpoint) serving model ${cfg.model}; the bundle records only the variable names`,
      });
    }
    if (cfg.kind === "command") {
      const missing = cfg.pass_env.filter((n) => !set(n));
      if (missing.length) problems.push({ field: `config.agents[${i}].pass_env`, message: `agent \`${cfg.id}\` (command) passes ${missing.join(", ")} from the host, which ${missing.length > 1 ? "are" : "is"} not set here` });
    }
    if (cfg.kind === "replay") problems.push({ field: `config.agents[${i}]`, message: `agent \`${cfg.id}\` replays recorded trajectories from the submitter's disk (${cfg.trajectory}); a replay is not an independent re-run` });
  });
  return { agents, problems };
}

/**
 * What the reproduction's lock must share with the bundle's: task digests and image ids, frozen
 * library digests and agent config digests (config digest, environments and sandbox capabilities
 * may differ by machine). Pure.
 */
export function lockDrift(bundle: Lock, reproduction: Lock): string[] {
  const pick = (l: Lock) => ({
    tasks: Object.fromEntries(Object.entries(l.tasks).map(([k, v]) => [k, { digest: v.digest, image_id: v.image_id }])),
    libraries: l.libraries,
    agents: l.agents,
  });
  return diffLocks(pick(bundle) as unknown as Lock, pick(reproduction) as unknown as Lock);
}

function short(imageId: string): string {
  return imageId.replace(/^sha256:/, "").slice(0, 12);
}
