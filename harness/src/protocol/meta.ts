import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { digestJson, shortDigest } from "../core/digest.ts";
import { runPaths } from "../core/paths.ts";
import { roundsOf, type LearningConfig } from "../learner/index.ts";
import { readJournal, readRunJson, writeRunJson, type RunJson } from "../run/index.ts";
import { baseOf } from "./conditions.ts";
import { protocolPaths, type ProtocolState } from "./state.ts";

type Cost = { tokens: number; usd: number; seconds: number };
type Meta = NonNullable<RunJson["library_meta"]>[string];

/**
 * Learning cost and library provenance per condition in run.json, after the evaluation:
 * - `learning_cost`: the learner's own model calls, plus the acquisition attempts it learned
 *   from (the acquisition phase is charged in full to raw-trace and to every learned condition,
 *   since each needs it), plus the attempts of its rounds and its exploration attempts. Round N
 *   of a method (`X@rN`) is charged what building it took: rounds 1..N and their attempts.
 * - `library_meta`: which agent built each library, the method, and for `X@rN` its round and base.
 * A scripted learner marks the run a dry run.
 */
export async function recordLearningMeta(opts: {
  runDir: string;
  state: ProtocolState;
  conditions: readonly string[];
  learning: LearningConfig;
  families: readonly string[];
  agentFor: (condition: string) => string;
}): Promise<RunJson | undefined> {
  const p = protocolPaths(opts.runDir);
  const run = await readRunJson(join(opts.runDir, "run.json"));
  if (!run) return undefined;
  const trialsCost = async (journal: string): Promise<Cost> => {
    const acc = { tokens: 0, usd: 0, seconds: 0 };
    for (const r of (await readJournal(journal)).latest.values()) {
      acc.tokens += (r.tokens?.prompt ?? 0) + (r.tokens?.completion ?? 0);
      acc.usd += r.cost_usd ?? 0;
      acc.seconds += r.timings_ms.total / 1000;
    }
    return acc;
  };
  const add = (a: Cost, b: Cost) => {
    a.tokens += b.tokens;
    a.usd += b.usd;
    a.seconds += b.seconds;
  };
  const acquisition = await trialsCost(runPaths(p.acquireResults, p.acquireId).journal);
  const attemptRuns = (await readdir(p.roundsResults).catch(() => [] as string[])).map((d) => ({ d, m: /^(.*)-r(\d+)(?:-x\d+)?$/.exec(d) })).filter((x) => x.m);
  const cost: Record<string, Cost> = {};
  const meta: Record<string, Meta> = {};
  let scripted = false;
  for (const c of opts.conditions) {
    const base = baseOf(c);
    const method = opts.learning.methods[base];
    if (c !== "raw-trace" && !method) continue;
    const rounds = method ? roundsOf(method).rounds : 1;
    const round = c === base ? rounds : Number(c.slice(base.length + 2));
    const acc = { ...acquisition };
    for (const f of opts.families) {
      // Each round's record holds the cumulative learner cost of rounds 1..N.
      const l = opts.state.learned[`${c}|${f}`];
      if (l) {
        acc.tokens += l.cost.prompt_tokens + l.cost.completion_tokens;
        acc.usd += l.cost.usd;
        acc.seconds += l.cost.seconds;
        scripted ||= l.cost.scripted_model;
      }
      const prefix = `${base}-${f}`.replace(/[^\w.-]/g, "_");
      for (const { d, m } of attemptRuns) if (m![1] === prefix && Number(m![2]) <= round) add(acc, await trialsCost(runPaths(p.roundsResults, d).journal));
    }
    cost[c] = acc;
    meta[c] = {
      built_with: opts.agentFor(c),
      // kind plus a digest of the options: two conditions with the same method config (built by
      // different agents) are "the same method" for transfer rows; two command methods are not.
      method: method ? `${method.kind}:${shortDigest(digestJson(method))}` : "raw-trace",
      ...(rounds > 1 ? { round } : {}),
      ...(c !== base ? { of: base } : {}),
    };
  }
  const updated: RunJson = { ...run, learning_cost: cost, library_meta: meta, ...(scripted ? { source: "mock-model" as const } : {}) };
  await writeRunJson(join(opts.runDir, "run.json"), updated);
  return updated;
}
