import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { Host } from "./run-json.ts";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

export const HARNESS_VERSION: string = pkg.version;

/** Facts about this machine recorded in run.json (not part of the lock). */
export async function hostFacts(docker: Record<string, string>, cwd = process.cwd()): Promise<Host> {
  // execa loads here, not at import: the CLI reads HARNESS_VERSION on every start (`--version`)
  const { execa } = await import("execa");
  const git = await execa("git", ["rev-parse", "HEAD"], { cwd, reject: false });
  return {
    harness_version: HARNESS_VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    docker,
    git_commit: git.exitCode === 0 ? git.stdout.trim() : null,
    hostname: hostname(),
  };
}
