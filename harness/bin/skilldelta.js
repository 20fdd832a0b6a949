#!/usr/bin/env node
// SkillDelta's sources are TypeScript run directly by Node's type stripping (no build step).
// Node >= 23.6 / 22.18 strips types by default; older 22.x needs the flag, so re-exec with it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const r = spawnSync(process.execPath, ["--experimental-strip-types", "--no-warnings", main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
