import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { taskPaths } from "../core/paths.ts";
import { isSkillCopy, parseDockerfile } from "./dockerfile.ts";
import type { Task } from "./load.ts";
import { TaskTomlSchema } from "./schema.ts";

export type LintRule =
  | "unpinned-from"
  | "download-at-build"
  | "download-at-verify"
  | "internet-allowed"
  | "missing-oracle"
  | "tests-read-solution"
  | "heredoc-needs-buildkit"
  | "skill-copy"
  | "unknown-field"
  | "large-file";

export interface LintWarning {
  file: string;
  line?: number;
  rule: LintRule;
  message: string;
}

/** Files above this size belong in the asset cache (`[[environment.assets]]`), not in git. */
export const LARGE_FILE_BYTES = 5 * 1024 * 1024;

/** Names of SkillDelta's own local images, pinned by content digest in the run lock. */
const LOCAL_IMAGE = /^skilldelta-(env\/[\w.-]+|base)(:[\w.-]+)?$/;

const DOWNLOAD_PATTERNS: [RegExp, string][] = [
  [/\b(curl|wget)\b[^|\n]*\|\s*(ba|z)?sh\b/, "pipes a download into a shell"],
  [/\b(wget|curl)\s+[^\n]*(https?|ftp):\/\//, "downloads a file over the network"],
  [/\bgit\s+clone\b/, "clones a repository over the network"],
  [/\bpip3?\s+install\b(?![^\n]*--require-hashes)(?![^\n]*--no-index)/, "installs Python packages without --require-hashes"],
  [/\buvx?\b\s+(pip\s+install|--with|run)/, "resolves Python packages at run time with uv"],
  [/\bnpm\s+(install|i|ci)\b(?![^\n]*--offline)/, "installs npm packages from the registry"],
];

/**
 * Reproducibility lint for one task: warnings (never errors) with file and line.
 * SkillDelta's own suite must produce none; foreign suites typically produce several.
 */
export async function lintTask(task: Task): Promise<LintWarning[]> {
  const paths = taskPaths(task.dir);
  const warnings: LintWarning[] = [];
  const dockerfile = await readFile(paths.dockerfile, "utf8");
  for (const ins of parseDockerfile(dockerfile)) {
    const at = { file: paths.dockerfile, line: ins.line };
    if (ins.keyword === "FROM") {
      const ref = ins.args.split(/\s+/).find((p) => !p.startsWith("--")) ?? "";
      if (!ref.includes("@sha256:") && !LOCAL_IMAGE.test(ref) && ref !== "scratch") {
        warnings.push({ ...at, rule: "unpinned-from", message: `FROM ${ref} is a floating tag; pin it by digest (@sha256:...) or build FROM a skilldelta-env/<name> environment` });
      }
    }
    if (ins.keyword === "RUN") {
      // one warning per instruction: `curl … | sh` is one problem, not two
      const hit = DOWNLOAD_PATTERNS.find(([re]) => re.test(ins.args));
      if (hit) warnings.push({ ...at, rule: "download-at-build", message: `RUN ${hit[1]}; the build is not reproducible offline` });
      if (/<<-?\s*['"]?\w+/.test(ins.args) || /<<-?\s*['"]?\w+/.test(dockerfile.split("\n")[ins.line - 1] ?? "")) {
        warnings.push({ ...at, rule: "heredoc-needs-buildkit", message: "heredoc in a Dockerfile needs BuildKit; the legacy builder (docker.io 20.10) cannot build it" });
      }
    }
    if (isSkillCopy(ins)) {
      warnings.push({ ...at, rule: "skill-copy", message: "copies skills into the image; SkillDelta neutralises this line and mounts the condition's library instead" });
    }
  }
  for (const file of await listFiles(paths.testsDir)) {
    const text = await readFile(file, "utf8").catch(() => "");
    text.split("\n").forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      const at = { file, line: i + 1 };
      const hit = DOWNLOAD_PATTERNS.find(([re]) => re.test(line));
      if (hit) warnings.push({ ...at, rule: "download-at-verify", message: `the verifier ${hit[1]}; verdicts depend on the network` });
      if (/\bapt(-get)?\s+(update|install)\b/.test(line)) warnings.push({ ...at, rule: "download-at-verify", message: "the verifier installs packages at verify time; bake them into the image" });
      if (/(^|[\s"'(/])(\/solution\b|solution\/solve\.sh|\.\.\/solution\b)/.test(line)) {
        warnings.push({ ...at, rule: "tests-read-solution", message: "the tests reference the solution; a verifier must judge the outcome without it" });
      }
    });
  }
  const env = task.config.environment;
  if (env.allow_internet || (env.network_mode && env.network_mode !== "none")) {
    warnings.push({ file: paths.config, rule: "internet-allowed", message: "the task allows network access; results depend on the outside world" });
  }
  if (!(await stat(paths.solveScript).catch(() => undefined))) {
    warnings.push({ file: paths.solveScript, rule: "missing-oracle", message: "no solution/solve.sh: the task cannot be proven solvable (oracle check)" });
  }
  warnings.push(...unknownFields(task, paths.config));
  warnings.push(...(await largeFiles(task)));
  return warnings;
}

/** Keys that the loose task.toml schema tolerated but does not know. */
function unknownFields(task: Task, file: string): LintWarning[] {
  const known: Record<string, Set<string>> = {
    "": new Set(Object.keys(TaskTomlSchema.shape)),
    agent: new Set(["timeout_sec"]),
    verifier: new Set(["timeout_sec", "env"]),
    solution: new Set(["timeout_sec", "env"]),
    environment: new Set(Object.keys(TaskTomlSchema.shape.environment.unwrap().shape)),
  };
  const out: LintWarning[] = [];
  const cfg = task.config as Record<string, unknown>;
  for (const [section, keys] of Object.entries(known)) {
    const obj = section ? cfg[section] : cfg;
    if (!obj || typeof obj !== "object") continue;
    for (const key of Object.keys(obj)) {
      if (!keys.has(key)) out.push({ file, rule: "unknown-field", message: `unknown field \`${section ? `${section}.` : ""}${key}\` is ignored` });
    }
  }
  return out;
}

/** Files over LARGE_FILE_BYTES in the task dir: git is the wrong place for media and data sets. */
async function largeFiles(task: Task): Promise<LintWarning[]> {
  const declared = new Set((task.config.environment.assets ?? []).map((a) => join(taskPaths(task.dir).environmentDir, ...a.dest.split("/"))));
  const out: LintWarning[] = [];
  for (const file of await listFiles(task.dir)) {
    const size = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (size <= LARGE_FILE_BYTES) continue;
    const mib = (size / 1024 / 1024).toFixed(1);
    out.push({
      file,
      rule: "large-file",
      message: declared.has(file)
        ? `${mib} MiB local copy of a declared asset: delete it (the build copies the verified file from the asset cache) so it is not committed`
        : `${mib} MiB file in the task dir: keep it out of git as an asset — \`skilldelta assets add ${relative(process.cwd(), file)}\`, declare it under [[environment.assets]] in task.toml and delete it here`,
    });
  }
  return out;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** `file:line` relative to `cwd`, for terminal output. */
export function formatLocation(w: LintWarning, cwd = process.cwd()): string {
  return `${relative(cwd, w.file)}${w.line ? `:${w.line}` : ""}`;
}
