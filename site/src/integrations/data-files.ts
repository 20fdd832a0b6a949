import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "csv-stringify/sync";
import type { AstroIntegration } from "astro";
import { deltaVsNoSkill, loadRuns, taskPage, type RunView } from "../lib/results.ts";
import { trajectoryFile } from "../lib/trials.ts";

/**
 * Writes the downloadable and lazily fetched files next to the pages, once per build:
 * ```
 * data/<run>/summary.json   copy of the analysis output (the contract)
 * data/<run>/run.json       copy (config + lock), when present
 * data/<run>/methods.csv    leaderboard rows, flattened from summary.json
 * data/<run>/cells.csv      task × condition × agent cells, flattened from summary.json
 * data/<run>/trajectories/<trial>.json   only trajectories a task page links to
 * ```
 * Files are copied, never inlined in pages: a 100k-trial run must not bloat HTML.
 */
export function dataFiles(): AstroIntegration {
  return {
    name: "skilldelta-data-files",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        let trajectories = 0;
        for (const run of loadRuns().runs) {
          const d = join(out, "data", run.slug);
          await mkdir(join(d, "trajectories"), { recursive: true });
          await copyFile(join(run.path, "summary.json"), join(d, "summary.json"));
          if (existsSync(join(run.path, "run.json"))) await copyFile(join(run.path, "run.json"), join(d, "run.json"));
          await writeFile(join(d, "methods.csv"), methodsCsv(run));
          await writeFile(join(d, "cells.csv"), cellsCsv(run));
          for (const t of run.summary.tasks) {
            for (const trial of taskPage(run, t.task)?.trials ?? []) {
              const f = trajectoryFile(run, trial);
              if (!f) continue;
              await copyFile(f.source, join(d, "trajectories", `${f.slug}.json`));
              trajectories++;
            }
          }
        }
        logger.info(`data files written; ${trajectories} trajectories copied`);
      },
    },
  };
}

function methodsCsv(run: RunView): string {
  const rows = run.summary.methods.map((m) => {
    const c = deltaVsNoSkill(run, m);
    return {
      run: run.summary.run.id, method: m.id, agent: m.agent, agent_label: m.agent_label, condition: m.condition, pooled: m.pooled,
      tasks: m.tasks, pass_rate: m.macro?.estimate ?? "", pass_rate_lo: m.macro?.lo ?? "", pass_rate_hi: m.macro?.hi ?? "",
      delta_vs_no_skill: c?.delta?.estimate ?? "", delta_lo: c?.delta?.lo ?? "", delta_hi: c?.delta?.hi ?? "", g: c?.g ?? "",
      p_sign_flip: c?.sign_flip?.p ?? "", p_holm: c?.p_holm ?? "", usd_per_pass: m.cost.usd_per_pass ?? "", seconds_per_pass: m.cost.seconds_per_pass ?? "",
      scored: m.denominators.scored, passed: m.denominators.passed, excluded: m.denominators.excluded, missing_cells: m.denominators.missing_cells,
      attestation: run.summary.run.attestation ?? "",
      skill_tokens_per_trial: m.skill_tokens?.per_trial ?? "", skill_tokens_per_step: m.skill_tokens?.per_step ?? "", chance: m.chance?.mean ?? "",
    };
  });
  return stringify(rows, { header: true });
}

function cellsCsv(run: RunView): string {
  const rows = run.summary.tasks.flatMap((t) => t.cells.map((c) => ({
    task: t.task, family: t.family, role: t.role ?? "", agent: c.agent, condition: c.condition, granularity: c.granularity,
    scored: c.scored, passed: c.passed, rate: c.rate ?? "", mean_reward: c.mean_reward ?? "", agent_timeout: c.agent_timeout,
    agent_error: c.agent_error, excluded: c.excluded, missing_trials: c.missing_trials ?? "",
  })));
  return stringify(rows, { header: true, columns: ["task", "family", "role", "agent", "condition", "granularity", "scored", "passed", "rate", "mean_reward", "agent_timeout", "agent_error", "excluded", "missing_trials"] });
}
