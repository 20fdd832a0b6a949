// Bad inputs through the real CLI: each is refused with exit code 2 and one line naming the file,
// the field and the fix, and the finished run it was pointed at stays byte-identical. A journal
// with a torn last line (kill -9 mid-write) is the one damage that resume repairs by itself.
import { createHash } from "node:crypto";
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "harness/bin/skilldelta.js");
const TINY = join(import.meta.dirname, "fixtures/tasks/tiny");

let T: string;
let R: string;
const goodLib = () => join(T, "lib-good");
const cli = (args: string[]) => execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false });
/** The finished run `keep`: tiny-echo, oracle, no-skill and self-evolved (bound), k = 1. */
const runArgs = (tasks = TINY, library = goodLib()) => ["run", "--id", "keep", "--results", R, "--tasks", tasks, "--include", "tiny-echo", "--agents", "oracle", "--conditions", "no-skill,self-evolved", "--library", `self-evolved=${library}`, "-k", "1", "-q", "--env-dir", ...inject("environmentsDirs")];

/** Every entry under `dir` (dirs, files by sha256, links by target), so "untouched" means byte-identical and nothing added. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      if (st.isSymbolicLink()) out[p] = `link:${await readlink(p)}`;
      else if (st.isDirectory()) {
        out[p] = "dir";
        await walk(p);
      } else out[p] = createHash("sha256").update(await readFile(p)).digest("hex");
    }
  };
  await walk(dir);
  return out;
}

async function skill(dir: string, name: string, text = `---\nname: ${name}\ndescription: A skill named ${name}\n---\nDo the thing.\n`): Promise<string> {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, "SKILL.md"), text);
  return join(dir, name);
}

/** A copy of tiny-echo whose task.toml is `toml`. */
async function brokenTask(name: string, toml: string): Promise<string> {
  const dir = join(T, name, "tiny");
  await cp(join(TINY, "tiny-echo"), join(dir, "tiny-echo"), { recursive: true });
  await writeFile(join(dir, "tiny-echo/task.toml"), toml);
  return dir;
}

beforeAll(async () => {
  T = await mkdtemp(join(tmpdir(), "sd-bad-inputs-"));
  R = join(T, "results");
  await skill(goodLib(), "echo-helper");
  const r = await cli([...runArgs(), "--json"]);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ status: "finished", ran_now: 2 });
});
afterAll(async () => {
  await rm(T, { recursive: true, force: true });
});

/**
 * Runs a command that must be refused while the finished run sits in the results directory:
 * exit 2, a stderr line `<file>: <field>: <message> — <hint>`, no stack trace, the run untouched.
 */
async function refused(args: string[], want: { file: string; field: string; message: RegExp; hint: RegExp }): Promise<string> {
  const before = await snapshot(R);
  const r = await cli(args);
  expect(r.exitCode, r.stderr).toBe(2);
  const prefix = `${want.file}: ${want.field}: `;
  const line = r.stderr.split("\n").find((l) => l.includes(prefix));
  expect(line, `no line starting with "${prefix}" in:\n${r.stderr}`).toBeDefined();
  const [message, ...hint] = line!.slice(line!.indexOf(prefix) + prefix.length).split(" — ");
  expect(message).toMatch(want.message);
  expect(hint.join(" — ")).toMatch(want.hint);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(await snapshot(R)).toEqual(before);
  return r.stderr;
}

// One at a time: a run id admits one process, and each snapshot must see only its own command.
describe("bad inputs: clear errors, nothing lost", () => {
  it("task.toml with a TOML syntax error: the line and column, and how to fix it", async () => {
    const tasks = await brokenTask("syntax", 'version = "1.0"\n[agent\ntimeout_sec = 60\n');
    const want = { file: join(tasks, "tiny-echo/task.toml"), field: "line 2, column 7", message: /^invalid TOML: .*illegal character/, hint: /fix the syntax/ };
    const stderr = await refused(runArgs(tasks), want);
    expect(stderr).toMatch(/the config selects no tasks/);
    // `tasks validate` prints the same line; its problems are a failed check (exit 1).
    const v = await cli(["tasks", "validate", tasks]);
    expect(v.exitCode).toBe(1);
    expect(v.stderr).toContain(`${want.file}: line 2, column 7: invalid TOML`);
  });

  it("task.toml that breaks its schema: each field, what was expected, the fix", async () => {
    const tasks = await brokenTask("schema", 'version = "1.0"\n[agent]\ntimeout_sec = "soon"\n[environment]\nmemory_mb = -5\n');
    const file = join(tasks, "tiny-echo/task.toml");
    const stderr = await refused(runArgs(tasks), { file, field: "agent.timeout_sec", message: /^expected number/, hint: /set it to a number/ });
    expect(stderr).toContain(`${file}: environment.memory_mb: Too small`);
  });

  it("SKILL.md without frontmatter in a bound library: refused before any trial, nothing frozen", async () => {
    const lib = join(T, "lib-nofm");
    await skill(lib, "echo-helper");
    await writeFile(join(lib, "echo-helper/SKILL.md"), "Just a body, no frontmatter.\n");
    await refused(runArgs(TINY, lib), { file: join(lib, "echo-helper/SKILL.md"), field: "libraries.self-evolved", message: /SKILL\.md has no YAML frontmatter/, hint: /frontmatter `name` and `description`/ });
    // `library import` keeps the valid skills and lists the invalid one (exit 1).
    await skill(lib, "other-helper");
    const r = await cli(["library", "import", lib, "--layout", "flat", "--out", join(T, "imported-nofm")]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`REJECTED ${join(lib, "echo-helper/SKILL.md")}`);
    expect(await readdir(join(T, "imported-nofm"))).toEqual(["other-helper"]);
  });

  it("a library with a symlink to /etc, or to a file outside it: refused, the link named", async () => {
    const etc = join(T, "lib-etc");
    await skill(etc, "echo-helper");
    await symlink("/etc", join(etc, "echo-helper/etc"));
    await refused(runArgs(TINY, etc), { file: join(etc, "echo-helper/etc"), field: "libraries.self-evolved", message: /symlink points outside the library/, hint: /no links out of the library/ });

    const file = join(T, "lib-file");
    await writeFile(join(T, "outside.txt"), "not part of the library\n");
    await skill(file, "echo-helper");
    await symlink("../../outside.txt", join(file, "echo-helper/notes.md"));
    await refused(runArgs(TINY, file), { file: join(file, "echo-helper/notes.md"), field: "libraries.self-evolved", message: /symlink points outside the library/, hint: /no links out of the library/ });
    const r = await cli(["library", "import", file, "--layout", "flat", "--out", join(T, "imported-file")]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`REJECTED ${join(file, "echo-helper/notes.md")}: symlink points outside the library`);

    // A whole skill folder that is a link to a skill elsewhere: named, not silently left out.
    const linked = join(T, "lib-linked");
    await mkdir(linked);
    await symlink(join(goodLib(), "echo-helper"), join(linked, "echo-helper"));
    await refused(runArgs(TINY, linked), { file: join(linked, "echo-helper"), field: "libraries.self-evolved", message: /symlink points outside the library/, hint: /no links out of the library/ });
    const i = await cli(["library", "import", linked, "--layout", "flat", "--out", join(T, "imported-linked")]);
    expect(i.exitCode).toBe(1);
    expect(i.stderr).toContain(`REJECTED ${join(linked, "echo-helper")}: skill folder is a symlink`);
  });

  it("a run config with unknown keys: each key, where it sits, and the fix", async () => {
    const config = join(T, "typo.toml");
    await writeFile(config, `id = "keep"\nresults_dir = ${JSON.stringify(R)}\ntrails = 3\n[learning]\nfeedbak = "rich"\n`);
    const stderr = await refused(["run", "--config", config, "-q"], { file: config, field: "learning", message: /^unknown key `feedbak`/, hint: /check its spelling/ });
    expect(stderr).toContain("(top level): unknown key `trails`");
    const syntax = join(T, "syntax.toml");
    await writeFile(syntax, 'id = "keep"\n[learning\n');
    await refused(["run", "--config", syntax, "-q"], { file: syntax, field: "line 2, column 10", message: /^invalid TOML/, hint: /fix the syntax/ });
  });

});

// These edit the journal of the finished run, so they run one after the other, after the above.
describe("damaged journals", () => {
  it("a journal with a corrupt middle line: resume refused, the run left exactly as it was", async () => {
    const journal = join(R, "keep/trials.jsonl");
    const original = await readFile(journal, "utf8");
    const lines = original.split("\n");
    expect(lines.filter(Boolean)).toHaveLength(2);
    await writeFile(journal, [`${lines[0]!.slice(0, 50)}#damaged`, ...lines.slice(1)].join("\n"));
    try {
      const before = await snapshot(R);
      const r = await cli(runArgs());
      expect(r.exitCode, r.stderr).toBe(2);
      // The journal's "field" is the line: the message names it, the hint says what to do.
      expect(r.stderr).toContain(`skilldelta: ${journal}: line 1 is not valid JSON — the journal was edited or damaged; restore it`);
      expect(await snapshot(R)).toEqual(before);
    } finally {
      await writeFile(journal, original);
    }
  });

  it("a journal with a torn last line (kill -9 mid-write): resume drops it, keeps the finished trial, reruns the torn one", async () => {
    const journal = join(R, "keep/trials.jsonl");
    const [first, second] = (await readFile(journal, "utf8")).split("\n") as [string, string];
    await writeFile(journal, `${first}\n${second.slice(0, Math.floor(second.length / 2))}`);
    const r = await cli([...runArgs(), "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "finished", resumed: 1, ran_now: 1 });
    const after = (await readFile(journal, "utf8")).split("\n").filter(Boolean);
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(first);
    const keys = after.map((l) => (JSON.parse(l) as { key: string }).key);
    expect(keys[1]).toBe((JSON.parse(second) as { key: string }).key);
    expect(new Set(keys).size).toBe(2);
  });
});
