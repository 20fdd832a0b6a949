import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");

// A task built from a working tree must be the task a fresh clone builds. A too-broad ignore
// rule once kept incident evidence logs (edge.log, payments.log) out of git: every check passed
// here and the oracle failed on CI's clean clone. Build state under .state/ is the only
// ignored content allowed in these folders, with the examples' dry-run results/.
describe("repository content", () => {
  it("no file that tasks or environments build from is ignored by git", () => {
    const out = execFileSync(
      "git",
      ["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "--", "tasks", "environments", "examples"],
      { cwd: ROOT, encoding: "utf8" },
    );
    const ignored = out.split("\n").filter((l) => l && !/(^|\/)\.state\/$/.test(l) && !/^examples\/.*\/results\/$/.test(l));
    expect(ignored).toEqual([]);
  });
});
