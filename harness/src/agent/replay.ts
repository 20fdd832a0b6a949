import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { z } from "zod";
import { errorMessage } from "../core/errors.ts";
import { skillEventsFromCommand } from "./openai/skill-tools.ts";
import { readTrajectory, skillsUsed, TRAJECTORY_EXTRA_VERSION, TRAJECTORY_SCHEMA_VERSION, writeTrajectory, type SkillEvent, type Step, type StopReason, type Trajectory } from "./trajectory.ts";
import type { Agent, AgentContext, AgentResult } from "./types.ts";

/**
 * The `replay` agent: re-executes, in order, the bash commands of a recorded trajectory in a
 * fresh sandbox, then lets the verifier grade the result. Used to re-grade a submission's
 * recorded episodes and to debug tasks. Skill-tool calls are not repeated (they only read the
 * host library and change nothing in the sandbox). Foreign ATIF files are accepted: any tool
 * call named `bash`, `shell` or `execute_bash` with a string `command`/`cmd` argument counts.
 */
export const ReplayAgentOptionsSchema = z.strictObject({
  kind: z.literal("replay"),
  id: z.string().regex(/^[\w.-]+$/, "expected letters, digits, `.`, `_` or `-`"),
  /** trajectory.json or a trial directory; `{task}` and `{seed}` are filled per trial */
  trajectory: z.string().min(1),
  command_timeout_sec: z.number().positive().max(3600).default(120),
  output_cap_bytes: z.number().int().min(256).max(1024 * 1024).default(16 * 1024),
  /** stop at the first command that exits non-zero (default: run them all, like the original) */
  stop_on_error: z.boolean().default(false),
});
export type ReplayAgentOptions = z.infer<typeof ReplayAgentOptionsSchema>;

const SHELL_TOOLS = new Set(["bash", "shell", "execute_bash"]);

/** The shell commands of a trajectory, in order. */
export function recordedCommands(t: Trajectory): string[] {
  const out: string[] = [];
  for (const step of t.steps) {
    for (const call of step.tool_calls ?? []) {
      if (!SHELL_TOOLS.has(call.function_name)) continue;
      const cmd = call.arguments.command ?? call.arguments.cmd;
      if (typeof cmd === "string" && cmd.trim()) out.push(cmd);
    }
  }
  return out;
}

/** Creates the `replay` agent. */
export function replayAgent(options: ReplayAgentOptions): Agent {
  return {
    id: options.id,
    kind: "replay",
    config: { ...options },
    async run(ctx: AgentContext): Promise<AgentResult> {
      const startedAt = new Date().toISOString();
      const source = resolve(options.trajectory.replaceAll("{task}", ctx.task.id).replaceAll("{seed}", String(ctx.seed)));
      let commands: string[];
      try {
        commands = recordedCommands((await readTrajectory(source)).trajectory);
      } catch (e) {
        return { exitCode: null, error: `cannot replay: ${errorMessage(e)}`, skillsLoaded: [] };
      }
      const deadline = Date.now() + ctx.timeoutSec * 1000;
      const steps: Step[] = [{ step_id: 1, timestamp: startedAt, source: "system", message: `replay of ${source} (${commands.length} commands)` }];
      const events: SkillEvent[] = [];
      let stop: StopReason = "replayed";
      let lastExit: number | null = null;
      for (const [i, command] of commands.entries()) {
        if (ctx.signal.aborted) {
          stop = "timeout";
          break;
        }
        const timeoutSec = Math.max(1, Math.min(options.command_timeout_sec, Math.floor((deadline - Date.now()) / 1000)));
        const r = await ctx.sandbox.exec(command, { timeoutSec, outputCapBytes: options.output_cap_bytes, signal: ctx.signal });
        lastExit = r.exitCode;
        ctx.log(`replay ${i + 1}/${commands.length}: exit ${r.exitCode} $ ${command.split("\n")[0]}`);
        const id = `replay_${i}`;
        const stepId = steps.length + 1;
        steps.push({
          step_id: stepId,
          timestamp: new Date().toISOString(),
          source: "agent",
          message: "",
          tool_calls: [{ tool_call_id: id, function_name: "bash", arguments: { command } }],
          observation: { results: [{ source_call_id: id, content: `exit code: ${r.exitCode}\n[stdout]\n${r.stdout}\n[stderr]\n${r.stderr}` }] },
        });
        if (ctx.library) for (const d of skillEventsFromCommand(ctx.library, ctx.skillsMountPath, command)) events.push({ ...d, step_id: stepId, timestamp: new Date().toISOString() });
        if (options.stop_on_error && r.exitCode !== 0) break;
      }
      const trajectory: Trajectory = {
        schema_version: TRAJECTORY_SCHEMA_VERSION,
        session_id: randomUUID(),
        agent: { name: "skilldelta-replay", version: "1", extra: { source } },
        steps,
        final_metrics: { total_prompt_tokens: 0, total_completion_tokens: 0, total_cached_tokens: 0, total_steps: steps.length },
        extra: {
          skilldelta_version: TRAJECTORY_EXTRA_VERSION,
          skills_offered: (ctx.library?.skills ?? []).map((s) => s.id),
          skill_events: events,
          stop_reason: stop,
          scripted_model: false,
          started_at: startedAt,
          finished_at: new Date().toISOString(),
        },
      };
      const written = await writeTrajectory(ctx.trialDir, trajectory).then(() => true, (e: unknown) => (ctx.log(`could not write trajectory.json: ${errorMessage(e)}`), false));
      return { exitCode: lastExit, skillsLoaded: skillsUsed(events), trajectoryWritten: written };
    },
  };
}
