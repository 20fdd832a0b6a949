import type { Agent, AgentResult } from "./types.ts";

/** Does nothing: the verifier must fail on an untouched environment (the nop check). */
export function nopAgent(id = "nop"): Agent {
  return {
    id,
    kind: "nop",
    config: { kind: "nop" },
    async run(): Promise<AgentResult> {
      return { exitCode: 0, skillsLoaded: [] };
    },
  };
}
