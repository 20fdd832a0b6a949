import type { TrialRecord } from "../run/schema.ts";
import { makeRng } from "./rng.ts";

/** Shape of a synthetic experiment (for tests and the benchmark, never for results). */
export interface SyntheticPlan {
  seed: number;
  tasks: number;
  conditions: readonly string[];
  agents: number;
  trials: number;
  /** per-task base pass probability is drawn uniformly from [lo, hi] */
  base?: [number, number];
  /** added to the base probability per condition (clamped to [0, 1]) */
  effect?: Readonly<Record<string, number>>;
  /** share of attempts that hit infra_error first and are retried once */
  infraRate?: number;
}

/**
 * Yields synthetic journal records, one per attempt, deterministically from `plan.seed`.
 * Task t's pass probability under condition c is base_t + effect[c]; outcomes of different
 * conditions are independent given the task.
 */
export function* syntheticRecords(plan: SyntheticPlan): Generator<TrialRecord> {
  const rng = makeRng(plan.seed, "synthetic");
  const [lo, hi] = plan.base ?? [0.1, 0.9];
  const families = ["alpha", "beta", "gamma", "delta"];
  const roles = ["transfer", "trap", "composition"];
  for (let t = 0; t < plan.tasks; t++) {
    const task = `task-${String(t).padStart(4, "0")}`;
    const base = lo + (hi - lo) * rng.float();
    for (const condition of plan.conditions) {
      const p = Math.min(1, Math.max(0, base + (plan.effect?.[condition] ?? 0)));
      for (let a = 0; a < plan.agents; a++) {
        const agent = `agent-${a}`;
        for (let i = 0; i < plan.trials; i++) {
          const key = `${task}|${condition}|${agent}|${i}`;
          const common = {
            v: 1 as const, key, task, task_digest: "sha256:synthetic", family: families[t % families.length]!, role: roles[t % roles.length]!,
            condition, library_digest: condition === "no-skill" ? null : "sha256:lib", agent, agent_digest: "sha256:agent", index: i, seed: i,
            image: "synthetic", checks: [], started_at: "2026-01-01T00:00:00Z", finished_at: "2026-01-01T00:01:00Z",
            agent_exit_code: 0, skills_loaded: condition !== "no-skill" && rng.float() < 0.7 ? ["skill-a"] : [],
            artifacts_dir: `trials/${t}-${condition}-${a}-${i}`,
            timings_ms: { setup: 1000, agent: 50000, verifier: 5000, teardown: 500, total: 56500 },
            tokens: { prompt: 12000, completion: 800, cached: 4000 },
          };
          let attempt = 1;
          if (plan.infraRate && rng.float() < plan.infraRate) {
            yield { ...common, trial_id: `${key}#1`, attempt: attempt++, outcome: "infra_error", reward: null, error: "synthetic infra error" };
          }
          const passed = rng.float() < p;
          yield { ...common, trial_id: `${key}#${attempt}`, attempt, outcome: passed ? "passed" : "failed", reward: passed ? 1 : 0 };
        }
      }
    }
  }
}
