import { z } from "zod";
import type { TokenUsage } from "../types.ts";

/**
 * Dollars per million tokens for one model, as run.toml's `[prices.<model>]` gives them.
 * `cached_input` defaults to `input` (no discount) when the provider publishes none.
 */
export const ModelPriceSchema = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
  cached_input: z.number().min(0).optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export const PriceTableSchema = z.record(z.string(), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** Cost of one usage record; cached prompt tokens are part of `prompt` and billed at the cached rate. */
export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cached, usage.prompt);
  const fresh = usage.prompt - cached;
  return (fresh * price.input + cached * (price.cached_input ?? price.input) + usage.completion * price.output) / 1_000_000;
}

/** Sums usage records. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { prompt: a.prompt + b.prompt, completion: a.completion + b.completion, cached: a.cached + b.cached };
}

export const ZERO_USAGE: TokenUsage = { prompt: 0, completion: 0, cached: 0 };
