import { InputError } from "../core/errors.ts";
import { experience, oneShot, selfFeedback, verifierFeedback } from "./builtins.ts";
import { commandLearner, moduleLearner, type ProcessDeps } from "./command.ts";
import type { MethodConfig, MethodKind } from "./config.ts";
import type { Learner } from "./types.ts";

/**
 * Methods by kind. Built-ins run in-process and receive only the learning context (no task
 * objects, no paths); `command` and `module` run as separate processes under the guard.
 */
export const methodKinds = {
  "one-shot": { summary: "skills from the acquisition instructions alone (SkillLearnBench b1)", create: (c: MethodConfig) => oneShot(c as Extract<MethodConfig, { kind: "one-shot" }>) },
  "self-feedback": { summary: "attempt, self-critique, revise; K rounds (b2)", create: (c: MethodConfig) => selfFeedback(c as Extract<MethodConfig, { kind: "self-feedback" }>) },
  "verifier-feedback": { summary: "attempt, receive the declared feedback, revise; up to R rounds (b3)", create: (c: MethodConfig) => verifierFeedback(c as Extract<MethodConfig, { kind: "verifier-feedback" }>) },
  experience: { summary: "revise after every acquisition episode (SkillEvolBench always-revise)", create: (c: MethodConfig) => experience(c as Extract<MethodConfig, { kind: "experience" }>) },
  command: { summary: "an external program: JSON context in, skill directory out (examples/methods/)", create: (c: MethodConfig, d: ProcessDeps) => commandLearner(c as Extract<MethodConfig, { kind: "command" }>, d) },
  module: { summary: "a module exporting a Learner, run in a guarded child process", create: (c: MethodConfig, d: ProcessDeps) => moduleLearner(c as Extract<MethodConfig, { kind: "module" }>, d) },
} as const satisfies Record<MethodKind, { summary: string; create: (c: MethodConfig, d: ProcessDeps) => Learner }>;

/**
 * Instantiates a method from its validated config.
 * @throws InputError listing the known kinds when the kind is unknown
 */
export function createLearner(config: MethodConfig, deps: ProcessDeps): Learner {
  const entry = methodKinds[config.kind as MethodKind];
  if (!entry) throw new InputError(`unknown learning method \`${String(config.kind)}\``, { field: "learning.methods.kind", hint: `use one of: ${Object.keys(methodKinds).join(", ")}` });
  return entry.create(config, deps);
}
