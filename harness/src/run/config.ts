import { readFile } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { AgentConfigSchema } from "../agent/registry.ts";
import { digestJson, shortDigest } from "../core/digest.ts";
import { InputError, errorMessage } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { LearningConfigSchema } from "../learner/config.ts";
import { parseContrastSide, parseRoundCondition } from "../analysis/sides.ts";

/** The four conditions of DESIGN section 1; extra rows (`self-evolved:<method>`, …) are allowed. */
export const BASE_CONDITIONS = ["no-skill", "raw-trace", "curated", "self-evolved"] as const;
const condition = z.string().regex(/^(no-skill|raw-trace|curated|self-evolved)(:[\w.-]+)?$|^[\w.-]+$/, "expected a condition like `curated` or `self-evolved:my-method`");

/** A contrast side: a condition (per agent), `<agent id>/<condition>` (one agent config), either possibly `X@r<N>` (issue 11). */
const contrastSide = z.string().regex(
  /^(?:[\w.-]+\/)?(?:(?:no-skill|raw-trace|curated|self-evolved)(?::[\w.-]+)?|[\w.-]+)(?:@r[1-9]\d*)?$/,
  "expected a condition (`curated`), an agent-pinned condition (`base-a/curated`) or a round (`curated@r2`)",
);

/**
 * run.toml. Defaults live here and nowhere else; the resolved config (defaults applied, paths
 * absolute) is what run.json records and what the lock digests.
 */
export const RunConfigSchema = z.strictObject({
  /** results/<id>/; running the same config again resumes it */
  id: z.string().regex(/^[\w.-]+$/, "expected letters, digits, `.`, `_` or `-`").optional(),
  /** task, family or suite directories */
  tasks: z.array(z.string()).min(1).default(["tasks"]),
  /** only tasks whose id matches one of these globs (`*` wildcard) */
  include: z.array(z.string()).optional(),
  split: z.enum(["acquisition", "evaluation", "all"]).default("all"),
  conditions: z.array(condition).min(1).default(["no-skill", "curated"]),
  /** k: trials per (task, condition, agent) cell */
  trials: z.number().int().min(1).max(1000).default(5),
  concurrency: z.number().int().min(1).max(256).default(2),
  seed: z.number().int().default(1),
  results_dir: z.string().default("results"),
  environments: z.array(z.string()).default(["environments"]),
  /** infra/verifier errors are retried this many times; failures and timeouts never are */
  max_infra_retries: z.number().int().min(0).max(10).default(2),
  /** condition → library directory, for conditions whose library is not produced by this run */
  libraries: z.record(z.string(), z.string()).default({}),
  /**
   * declared contrasts [with, without]; default: every condition vs no-skill (+ self-evolved vs raw-trace / curated).
   * Plain conditions compare the same agent on both sides (one row per agent); `"<agent id>/<condition>"` on both
   * sides compares two agent configs on trials matched by (task, trial index).
   */
  contrasts: z.array(z.tuple([contrastSide, contrastSide])).optional(),
  /** dollars per million tokens, by model name */
  prices: z.record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0), cached_input: z.number().min(0).optional() })).optional(),
  agents: z.array(AgentConfigSchema).min(1).default([{ kind: "oracle", id: "oracle" }]),
  /**
   * run every verifier in a fresh container that receives only the agent's final state
   * (default: per task; trap tasks always). Optional without default, so existing configs keep their digest.
   */
  separate_verifier: z.boolean().optional(),
  /** multiply every task's agent/verifier timeout (recorded; submissions require 1) */
  timeout_multiplier: z.number().positive().default(1),
  /** the learning phase of `skilldelta protocol` (acquire → freeze → evaluate); ignored by a plain `run` */
  learning: LearningConfigSchema.optional(),
});
export type RunConfigInput = z.input<typeof RunConfigSchema>;
export type RunConfig = z.infer<typeof RunConfigSchema> & { id: string };

/**
 * Reads and validates run.toml; relative paths are resolved against the file's directory.
 * @throws InputError naming the file, field and fix
 */
export async function loadRunConfig(file: string, overrides: Partial<RunConfigInput> = {}): Promise<RunConfig> {
  let raw: unknown;
  try {
    raw = parseToml(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError("run config not found", { file, hint: "pass an existing run.toml with --config" });
    const at = error as { line?: number; column?: number };
    throw new InputError(`invalid TOML: ${errorMessage(error).split("\n")[0]}`, { file, field: at.line ? `line ${at.line}, column ${at.column}` : undefined, hint: "fix the syntax (strings quoted, one [table] header per section)" });
  }
  const merged = { ...(raw as object), ...stripUndefined(overrides) };
  const cfg = parseOrThrow(RunConfigSchema, merged, file);
  return resolveConfig(cfg, dirname(resolve(file)), basename(file, extname(file)));
}

/** Builds a config from CLI flags alone; the id defaults to a digest of it so a rerun resumes. */
export function runConfigFromFlags(input: Partial<RunConfigInput>, cwd = process.cwd()): RunConfig {
  const cfg = parseOrThrow(RunConfigSchema, stripUndefined(input), "(command-line flags)");
  return resolveConfig(cfg, cwd, undefined);
}

function resolveConfig(cfg: z.infer<typeof RunConfigSchema>, base: string, fallbackId: string | undefined): RunConfig {
  const abs = (p: string) => resolve(base, p);
  const resolved = {
    ...cfg,
    tasks: cfg.tasks.map(abs),
    results_dir: abs(cfg.results_dir),
    environments: cfg.environments.map(abs),
    libraries: Object.fromEntries(Object.entries(cfg.libraries).map(([k, v]) => [k, abs(v)])),
  };
  for (const c of Object.keys(resolved.libraries)) {
    if (!resolved.conditions.includes(c)) {
      throw new InputError(`library bound to \`${c}\`, which is not in conditions`, { field: `libraries.${c}`, hint: "add the condition to `conditions` or remove the binding" });
    }
  }
  const ids = resolved.agents.map((a) => a.id);
  const dup = ids.find((x, i) => ids.indexOf(x) !== i);
  if (dup) throw new InputError(`two agents share the id \`${dup}\``, { field: "agents.id", hint: "give each [[agents]] block a distinct id" });
  checkContrasts(resolved.contrasts, resolved.conditions, ids);
  const id = cfg.id ?? fallbackId ?? `adhoc-${shortDigest(digestJson({ ...resolved, id: undefined }))}`;
  return { ...resolved, id };
}

/**
 * Every contrast side must name a known agent id and a condition of the run (or a round `X@r<N>` of
 * one); agent-pinned and plain sides cannot be mixed in one contrast (a plain side means "the same
 * agent as the other side", which a pinned other side leaves undefined).
 * @throws InputError naming `contrasts[i]` and the fix
 */
function checkContrasts(contrasts: readonly (readonly [string, string])[] | undefined, conditions: readonly string[], agentIds: readonly string[]): void {
  (contrasts ?? []).forEach((pair, i) => {
    const field = `contrasts[${i}]`;
    const sides = pair.map(parseContrastSide);
    if ((sides[0]!.agent === null) !== (sides[1]!.agent === null)) {
      throw new InputError(`contrast ${JSON.stringify(pair)} pins an agent on one side only`, {
        field, hint: `write both sides as "<agent id>/<condition>" (agents: ${agentIds.join(", ")}), or neither for a per-agent contrast`,
      });
    }
    for (const s of sides) {
      if (s.agent !== null && !agentIds.includes(s.agent)) {
        throw new InputError(`contrast side \`${s.agent}/${s.condition}\` names unknown agent \`${s.agent}\``, { field, hint: `use one of the [[agents]] ids: ${agentIds.join(", ")}` });
      }
      const base = parseRoundCondition(s.condition)?.base ?? s.condition;
      if (!conditions.includes(base)) {
        throw new InputError(`contrast names condition \`${s.condition}\`, which is not in conditions`, { field, hint: `use one of: ${conditions.join(", ")} (or \`<condition>@r<N>\` for a round of an iterative method), or add it to \`conditions\`` });
      }
    }
    if (sides[0]!.agent === sides[1]!.agent && sides[0]!.condition === sides[1]!.condition) {
      throw new InputError(`contrast ${JSON.stringify(pair)} compares a method with itself`, { field, hint: "name two different conditions or agent configs" });
    }
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
