/**
 * Runs `astro build` / `astro preview` for the site as a child process (Astro's own CLI, so
 * the CLI command, the tests and the benchmark build exactly what `npm start` builds).
 * Shared by harness/src/cli/commands/site.ts, harness/test/site-*.test.ts and bench/site.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const siteRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const astroBin = join(dirname(createRequire(import.meta.url).resolve("astro/package.json")), "bin", "astro.mjs");

export interface BuildOptions {
  /** results directory (default: <repo>/results) */
  results?: string;
  /** output directory (default: site/dist) */
  out?: string;
  /** pass Astro's output through (default: collect it, shown only on failure) */
  inherit?: boolean;
  /** called with the child's pid (the benchmark samples its memory) */
  onSpawn?: (pid: number) => void;
}

export interface BuildResult { seconds: number; out: string; log: string }

/**
 * Builds the static site.
 * @throws Error with the tail of Astro's log when the build fails
 */
export async function buildSite(opts: BuildOptions = {}): Promise<BuildResult> {
  const out = resolve(opts.out ?? join(siteRoot, "dist"));
  const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: "1", ...(opts.results ? { SKILLDELTA_RESULTS: resolve(opts.results) } : {}) };
  const t0 = performance.now();
  const child = spawn(process.execPath, [astroBin, "build", "--root", siteRoot, "--outDir", out], { env, stdio: opts.inherit ? "inherit" : "pipe" });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const code = await new Promise<number | null>((res, rej) => child.on("error", rej).on("close", res));
  if (code !== 0) throw new Error(`astro build failed (exit ${code}):\n${log.split("\n").slice(-40).join("\n")}`);
  return { seconds: (performance.now() - t0) / 1000, out, log };
}

/** Serves a built site with `astro preview` (blocking until the process exits when awaited). */
export function previewSite(opts: { out?: string; port?: number; host?: string }): ChildProcess {
  const out = resolve(opts.out ?? join(siteRoot, "dist"));
  return spawn(process.execPath, [astroBin, "preview", "--root", siteRoot, "--outDir", out, "--host", opts.host ?? "127.0.0.1", "--port", String(opts.port ?? 4321)], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" }, stdio: "inherit",
  });
}
