import { taskPaths, containerPaths } from "../core/paths.ts";
import type { Agent, AgentContext, AgentResult } from "./types.ts";

/**
 * Runs the task's own `solution/solve.sh`. The solution is uploaded only now, so it is not in
 * the image and never visible to other agents; it is removed again before the verifier runs.
 */
export function oracleAgent(id = "oracle"): Agent {
  return {
    id,
    kind: "oracle",
    config: { kind: "oracle" },
    async run(ctx: AgentContext): Promise<AgentResult> {
      await ctx.sandbox.upload(taskPaths(ctx.task.dir).solutionDir, containerPaths.solution);
      const timeoutSec = ctx.task.config.solution.timeout_sec ?? ctx.timeoutSec;
      const result = await ctx.sandbox.exec(`bash ${containerPaths.solveScript}`, {
        timeoutSec: Math.min(timeoutSec, ctx.timeoutSec),
        env: ctx.task.config.solution.env,
        signal: ctx.signal,
        onOutput: (_stream, chunk) => ctx.log(chunk.trimEnd()),
      });
      await ctx.sandbox.exec(`rm -rf ${containerPaths.solution}`, { timeoutSec: 30 });
      return { exitCode: result.exitCode, skillsLoaded: [] };
    },
  };
}
