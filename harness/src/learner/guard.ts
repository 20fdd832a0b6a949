import { realpath } from "node:fs/promises";
import { execa } from "execa";
import { SkillDeltaError } from "../core/errors.ts";

/**
 * The leakage guard (DESIGN section 2: learners never see tests, solutions or evaluation
 * tasks). Methods that run as separate processes are started in fresh Linux user, mount and
 * pid namespaces where every forbidden directory is covered by an empty tmpfs, and /proc shows
 * only the learner's own processes (so /proc/<harness-pid>/root cannot reach around the
 * mounts). Network stays shared: the learner may call its model endpoint.
 */
export interface GuardSpec {
  mode: "namespace" | "none";
  /** directories the learner must not read (task tests/ and solution/, evaluation task dirs, curated skills, the run's results) */
  hide: string[];
}

const SCRIPT = [
  'while [ "$1" != "--" ]; do',
  '  if [ -d "$1" ]; then mount -t tmpfs -o size=4k,mode=000 skilldelta-guard "$1" || { echo "skilldelta guard: cannot hide $1" >&2; exit 97; }; fi',
  "  shift",
  "done",
  "shift",
  'exec "$@"',
].join("\n");

/** Real paths, deduplicated, parents first (a hidden parent makes its children vanish anyway). */
async function normalise(paths: readonly string[]): Promise<string[]> {
  const real = await Promise.all(paths.map((p) => realpath(p).catch(() => undefined)));
  return [...new Set(real.filter((p): p is string => Boolean(p)))].sort((a, b) => a.length - b.length || a.localeCompare(b));
}

/**
 * The program and arguments that run `argv` under the guard.
 * @throws SkillDeltaError SD_UNSUPPORTED when namespaces are unavailable and the mode requires them
 */
export async function guardedCommand(argv: readonly string[], spec: GuardSpec): Promise<{ file: string; args: string[] }> {
  if (spec.mode === "none") return { file: argv[0]!, args: argv.slice(1) };
  await assertNamespaces();
  const hide = await normalise(spec.hide);
  // setpriv --pdeathsig: a harness killed with SIGKILL takes the learner with it (unshare
  // --kill-child passes that on into the namespace); an orphan would keep spending model tokens
  // while the resumed harness runs the same learner call again.
  return { file: "setpriv", args: ["--pdeathsig", "KILL", "unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private", "bash", "-c", SCRIPT, "skilldelta-guard", ...hide, "--", ...argv] };
}

let probed: Promise<void> | undefined;
/** @throws SkillDeltaError SD_UNSUPPORTED with a hint when `unshare` cannot create the namespaces */
export function assertNamespaces(): Promise<void> {
  probed ??= execa("unshare", ["--user", "--map-root-user", "--mount", "--pid", "--fork", "--mount-proc", "true"], { reject: false, timeout: 10_000 }).then((r) => {
    if (r.exitCode !== 0) {
      probed = undefined;
      throw new SkillDeltaError("SD_UNSUPPORTED", `the leakage guard needs unprivileged user namespaces (unshare failed: ${String(r.stderr).trim().split("\n")[0] ?? r.exitCode})`, {
        field: "learning.guard",
        hint: "enable user namespaces (sysctl kernel.unprivileged_userns_clone=1), or set learning.guard = \"none\" (recorded; such runs cannot be submitted)",
      });
    }
  });
  return probed;
}
