import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const TASKS = join(import.meta.dirname, "../../tasks");

// Each task directory must be self-contained (tests/ and solution/ are uploaded alone), so a
// family's verifier and oracle helpers are copied into every task that uses them. The copy in
// the family's generator/ is the one to edit; this keeps the copies from drifting apart.
const CANONICAL = [
  "release/generator/verify_release.py",
  "migrate/generator/verify_migrate.py",
  "migrate/generator/runner.py",
  "perf/generator/verify_perf.py",
  "docs/generator/housecheck.py",
  "calib/generator/lp12.py",
  "ledger/generator/flxlib.py",
];

async function copiesOf(name: string): Promise<string[]> {
  const out: string[] = [];
  for (const family of await readdir(TASKS, { withFileTypes: true })) {
    if (!family.isDirectory()) continue;
    for (const task of await readdir(join(TASKS, family.name), { withFileTypes: true })) {
      if (!task.isDirectory() || task.name === "generator") continue;
      for (const part of ["tests", "solution", "environment"]) {
        const dir = join(TASKS, family.name, task.name, part);
        const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
        for (const f of files) if (f === name || f.endsWith(`/${name}`)) out.push(join(dir, f));
      }
    }
  }
  return out;
}

describe("shared task helpers", () => {
  it.each(CANONICAL)("every copy of %s equals the generator's", async (canonical) => {
    const source = await readFile(join(TASKS, canonical), "utf8");
    const copies = await copiesOf(canonical.split("/").at(-1)!);
    expect(copies.length).toBeGreaterThan(0);
    const drifted = [];
    for (const c of copies) if ((await readFile(c, "utf8")) !== source) drifted.push(relative(TASKS, c));
    expect(drifted, `edit tasks/${canonical} and copy it again`).toEqual([]);
  });
});
