#!/usr/bin/env node
// SkillDelta's sources are TypeScript run directly by Node's type stripping (no build step).
// Node >= 22.18 / 23.6 strips types by default; 22.12–22.17 need the flag, so re-exec with it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `skilldelta: Node ${process.version} is too old; SkillDelta needs Node >= 22.12 (Node 24 LTS recommended).\n` +
      "  Install Node 24 from the npm registry:  npm install -g --prefix /opt/node24 node@24 npm@11\n" +
      "  then put it first on PATH:              export PATH=/opt/node24/bin:$PATH\n",
  );
  process.exit(2);
}
const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const r = spawnSync(process.execPath, ["--experimental-strip-types", "--no-warnings", main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
