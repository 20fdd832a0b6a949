import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { libraryKey, resolveLibraries } from "../../src/run/index.ts";
import { loadTasks } from "../../src/task/index.ts";

const SUITE = join(import.meta.dirname, "../../../tasks");

it("curated = the family's skills plus extra_skills of another family, even when that family is not in the run; no-skill = none", async () => {
  const { tasks } = await loadTasks([join(SUITE, "perf")]);
  const composition = tasks.find((t) => t.role === "composition" && t.config.metadata.extra_skills?.length)!;
  const dir = await mkdtemp(join(tmpdir(), "sd-libs-"));
  try {
    const libs = await resolveLibraries({ conditions: ["no-skill", "curated"], bindings: {}, tasks: [composition], librariesDir: dir });
    expect(libs.get(libraryKey("no-skill", composition.id))).toBeUndefined();
    const curated = libs.get(libraryKey("curated", composition.id))!;
    const extra = composition.config.metadata.extra_skills!.map((r) => r.split("/")[1]);
    const names = curated.skills.map((s) => s.path);
    for (const e of extra) expect(names).toContain(e);
    expect(names.length).toBeGreaterThan(extra.length); // the family's own skills too
    expect(curated.dir.startsWith(join(dir, "curated"))).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
