import { z } from "zod";
import { containerPaths } from "../core/paths.ts";
import type { Agent, AgentContext, AgentResult } from "./types.ts";

/**
 * The `command` agent: an external coding-agent CLI (anything that takes an instruction and
 * works in a directory) run INSIDE the task container. Before it starts, the condition's
 * skills are copied to the folders such CLIs read under the agent's home (`.claude/skills`,
 * `.codex/skills`, `.agents/skills`, …; see core/paths `containerPaths.agentSkillDirs`), and
 * the instruction is written to a file. In `no-skill` none of those folders is created.
 *
 * Unlike the `openai` agent, a CLI that calls a model from inside the container needs its key
 * there: only variables named in `pass_env` are forwarded, by name, and the run records that.
 */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

export const CommandAgentOptionsSchema = z.strictObject({
  kind: z.literal("command"),
  id: z.string().regex(/^[\w.-]+$/, "expected letters, digits, `.`, `_` or `-`"),
  /**
   * Shell command run with `bash -c`. Placeholders: `{instruction_file}` (path of the
   * instruction in the container), `{instruction}` (the instruction, shell-quoted),
   * `{skills_dir}` (first skill folder, or empty in no-skill), `{home}`.
   */
  command: z.string().min(1),
  /** run once before `command`, e.g. to check the CLI is installed (counts against the agent timeout) */
  setup: z.string().optional(),
  /** the agent user's home; skill folders are created under it */
  home: z.string().regex(/^\//, "expected an absolute path").default("/root"),
  skill_dirs: z.array(z.string().regex(/^[^/].*$/, "expected a path relative to home")).default([...containerPaths.agentSkillDirs]),
  cwd: z.string().regex(/^\//, "expected an absolute path").optional(),
  user: z.string().optional(),
  /** fixed, non-secret environment for the CLI */
  env: z.record(envName, z.string()).default({}),
  /** host variables forwarded by name (e.g. the CLI's own API key); empty by default */
  pass_env: z.array(envName).default([]),
  /** bytes of stdout and of stderr kept in agent.log; the rest is replaced by a marker */
  output_cap_bytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** a non-zero exit counts as agent_error (default), or is only logged */
  nonzero_exit_is_error: z.boolean().default(true),
});
export type CommandAgentOptions = z.infer<typeof CommandAgentOptionsSchema>;

/** Single-quotes a string for bash. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(instruction_file|instruction|skills_dir|home)\}/g, (_, key: string) => values[key] ?? "");
}

/** Bash that copies each skill of the mounted library to every skill folder under `home`. */
function installSkillsScript(ctx: AgentContext, options: CommandAgentOptions): string | undefined {
  const library = ctx.library;
  if (!library) return undefined;
  const lines = ["set -e"];
  for (const dir of options.skill_dirs) {
    const target = `${options.home.replace(/\/+$/, "")}/${dir}`;
    // The trial may already mount the library read-only at this folder; then it is left as is.
    // Top-level skills only: sub-skills travel inside their parent's folder.
    const copies = library.skills.filter((skill) => skill.parent === undefined).map((skill) => {
      // CLIs expect <skills>/<name>/SKILL.md even when the library nests skills deeper.
      const name = skill.name.replace(/[^\w.-]/g, "-");
      const source = skill.path === "." ? ctx.skillsMountPath : `${ctx.skillsMountPath}/${skill.path}`;
      return `rm -rf ${shellQuote(`${target}/${name}`)} && cp -rL ${shellQuote(source)} ${shellQuote(`${target}/${name}`)}`;
    });
    lines.push(`mkdir -p ${shellQuote(target)} 2>/dev/null || true`, `if [ -w ${shellQuote(target)} ]; then`, ...copies.map((c) => `  ${c}`), "fi");
  }
  return lines.join("\n");
}

/** Creates the `command` agent. `env` is the host environment `pass_env` reads from. */
export function commandAgent(options: CommandAgentOptions, deps: { env: Record<string, string | undefined> }): Agent {
  return {
    id: options.id,
    kind: "command",
    config: { ...options },
    async run(ctx: AgentContext): Promise<AgentResult> {
      const deadline = Date.now() + ctx.timeoutSec * 1000;
      const left = () => Math.max(1, Math.floor((deadline - Date.now()) / 1000));
      const instructionFile = `${containerPaths.agentLogs}/instruction.md`;
      await ctx.sandbox.exec(`mkdir -p ${shellQuote(containerPaths.agentLogs)}`, { timeoutSec: 30 });
      await ctx.sandbox.writeFile(instructionFile, ctx.instruction);
      const install = installSkillsScript(ctx, options);
      if (install) {
        const r = await ctx.sandbox.exec(install, { timeoutSec: Math.min(120, left()), signal: ctx.signal });
        if (r.exitCode !== 0) return { exitCode: r.exitCode, error: `could not install skills for the CLI: ${r.stderr.trim().slice(0, 500)}`, skillsLoaded: [] };
      }
      const env: Record<string, string> = { ...options.env };
      const missing: string[] = [];
      for (const name of options.pass_env) {
        const value = deps.env[name];
        if (value === undefined) missing.push(name);
        else env[name] = value;
      }
      if (missing.length) ctx.log(`warning: pass_env names unset host variables: ${missing.join(", ")}`);
      const values = {
        instruction_file: instructionFile,
        instruction: shellQuote(ctx.instruction),
        skills_dir: ctx.library ? `${options.home.replace(/\/+$/, "")}/${options.skill_dirs[0] ?? ""}` : "",
        home: options.home,
      };
      const common = { env, cwd: options.cwd, user: options.user, outputCapBytes: options.output_cap_bytes, signal: ctx.signal, onOutput: (stream: "stdout" | "stderr", chunk: string) => ctx.log(`[${stream}] ${chunk.trimEnd()}`) };
      if (options.setup) {
        const r = await ctx.sandbox.exec(fill(options.setup, values), { ...common, timeoutSec: left() });
        if (r.exitCode !== 0) return { exitCode: r.exitCode, error: `setup command exited with ${r.exitCode}: ${r.stderr.trim().slice(-500)}`, skillsLoaded: [] };
      }
      const result = await ctx.sandbox.exec(fill(options.command, values), { ...common, timeoutSec: left() });
      for (const stream of ["stdout", "stderr"] as const) {
        if (result.truncatedBytes[stream]) ctx.log(`[${stream}] [... ${result.truncatedBytes[stream]} more bytes not kept ...]`);
      }
      ctx.log(`agent command exited with ${result.exitCode}${result.timedOut ? " (timed out)" : ""} after ${result.durationMs} ms`);
      const failed = !result.timedOut && !ctx.signal.aborted && result.exitCode !== 0 && options.nonzero_exit_is_error;
      // Skill use inside a foreign CLI is not observable from here; it is reported as unknown (empty).
      return { exitCode: result.exitCode, ...(failed ? { error: `agent command exited with ${result.exitCode}: ${result.stderr.trim().slice(-500)}` } : {}), skillsLoaded: [] };
    },
  };
}
