import { z } from "zod";

/**
 * One line of `cells.jsonl`: the outcome counts of one (task, condition, agent) cell, for
 * imported sources that publish counts but not individual trials (the SkillsBench registry).
 * The analysis treats these honestly: rates, pass@k and task-level comparisons work from
 * counts; trial-level pairing (McNemar, paired grids) is reported as unavailable.
 */
export const AggregateCellSchema = z.strictObject({
  v: z.literal(1),
  task: z.string().min(1),
  family: z.string().min(1),
  role: z.string().optional(),
  condition: z.string().min(1),
  agent: z.string().min(1),
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  agent_timeout: z.number().int().min(0).default(0),
  agent_error: z.number().int().min(0).default(0),
  verifier_error: z.number().int().min(0).default(0),
  infra_error: z.number().int().min(0).default(0),
  /** mean reward over the scored trials (partial credit), when the source gives it */
  reward_mean: z.number().min(0).max(1).nullable().default(null),
  /** trials with a perfect reward, when the source gives it */
  perfect: z.number().int().min(0).nullable().default(null),
  /** where the counts came from, e.g. `results-registry.json row 17` */
  origin: z.string().optional(),
});
/** A cells.jsonl line as a type. */
export type AggregateCell = z.infer<typeof AggregateCellSchema>;
