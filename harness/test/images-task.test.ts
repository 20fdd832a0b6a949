import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SkillDeltaError } from "../src/core/errors.ts";
import { loadTask, type Task } from "../src/task/index.ts";
import { runInImage } from "../src/sandbox/build-docker.ts";
import { dockerClient } from "../src/sandbox/docker-client.ts";
import { buildTaskImage, ensureImages, type ImageProgress, type TaskImageResult } from "../src/sandbox/images.ts";

const docker = dockerClient();
let suite: string;
const created = new Set<string>();
// unique per run: task tags are content-addressed, and another checkout may run these tests too
const salt = `${process.pid}-${Date.now()}`;

/** Writes a minimal Harbor task whose environment/ holds `files` (paths relative to it). */
async function writeTask(id: string, files: Record<string, string>, taskToml = ""): Promise<Task> {
  const dir = join(suite, id);
  const put = async (rel: string, body: string): Promise<void> => {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), body);
  };
  await put("instruction.md", `Do the thing (${id}).\n`);
  await put("task.toml", `version = "1.0"\n[environment]\nbuild_timeout_sec = 120\n${taskToml}`);
  await put("tests/test.sh", "#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n");
  await chmod(join(dir, "tests/test.sh"), 0o755);
  for (const [rel, body] of Object.entries(files)) await put(join("environment", rel), body);
  return loadTask(dir);
}

function ok(result: TaskImageResult | undefined) {
  if (!result?.ok) throw new Error(`expected a built image, got ${result ? result.error.format() : "nothing"}`);
  created.add(result.image);
  return result;
}

beforeAll(async () => {
  suite = await mkdtemp(join(tmpdir(), "sd-images-"));
});
afterAll(async () => {
  for (const tag of created) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  await rm(suite, { recursive: true, force: true });
});

describe("buildTaskImage", () => {
  it("pins FROM to testenv's content tag, leaves skills out, and reuses the image when nothing changed", async () => {
    const task = await writeTask("skills-task", {
      Dockerfile: [
        "FROM skilldelta-env/testenv",
        "COPY data.txt /app/data.txt",
        "COPY skills /root/.claude/skills",
        "COPY skills/ /etc/claude-code/.claude/skills/",
        `RUN echo ${salt} > /app/salt && ls /sys/class/net > /app/netifs`,
      ].join("\n"),
      "data.txt": "v1\n",
      "skills/secret-skill/SKILL.md": "---\nname: secret-skill\ndescription: must never be in the image\n---\n",
    });
    const cold = await buildTaskImage(task, { environmentsDirs: inject("environmentsDirs") });
    created.add(cold.image);
    expect(cold.built).toBe(true);
    expect(cold.image).toMatch(/^skilldelta-task:skills-task-[0-9a-f]{12}$/);
    expect(cold.neutralisedLines).toEqual([3, 4]);
    expect(cold.network).toBe("none");
    const testenv = await docker.getImage(inject("testenvImage")).inspect();
    expect(cold.parentImageId).toBe(testenv.Id);

    const probe = await runInImage(docker, cold.image, ["sh", "-c", "cat /app/data.txt /app/netifs; ls -a /root/.claude /etc/claude-code 2>&1; find / -name SKILL.md -not -path '/proc/*' 2>/dev/null"]);
    expect(probe).toContain("v1\nlo\n");
    expect(probe).not.toContain("SKILL.md");
    expect(probe).toMatch(/No such file or directory/);
    const labels = (await docker.getImage(cold.image).inspect()).Config.Labels ?? {};
    expect(labels["skilldelta.task"]).toBe("skills-task");
    expect(labels["skilldelta.task-digest"]).toBe(cold.digest);

    const warm = await buildTaskImage(task, { environmentsDirs: inject("environmentsDirs") });
    expect(warm).toMatchObject({ built: false, image: cold.image, imageId: cold.imageId });
    expect(warm.seconds).toBeLessThan(2);
    console.log(`[images-task] task image: cold ${cold.seconds.toFixed(2)} s, warm ${warm.seconds.toFixed(3)} s`);

    // editing a skill changes nothing (skills are mounted per condition) ...
    await writeFile(join(task.dir, "environment/skills/secret-skill/SKILL.md"), "---\nname: secret-skill\ndescription: edited\n---\n");
    const afterSkillEdit = await buildTaskImage(task, { environmentsDirs: inject("environmentsDirs") });
    created.add(afterSkillEdit.image);
    expect(afterSkillEdit.image).toBe(cold.image);
    // ... while editing an environment file gives a new tag
    await writeFile(join(task.dir, "environment/data.txt"), "v2\n");
    const changed = await buildTaskImage(task, { environmentsDirs: inject("environmentsDirs") });
    created.add(changed.image);
    expect(changed.built).toBe(true);
    expect(changed.image).not.toBe(cold.image);
  });
});

describe("ensureImages", () => {
  it("builds what builds, reports each failure with its cause, and returns lock data", async () => {
    const tasks = [
      await writeTask("good-a", { Dockerfile: `FROM skilldelta-env/testenv:latest\nRUN echo a-${salt} > /a\n` }),
      await writeTask("fails-run", { Dockerfile: `FROM skilldelta-env/testenv\nRUN echo ${salt} && echo the-step-broke-marker >&2 && exit 3\n` }),
      await writeTask("heredoc", { Dockerfile: "FROM skilldelta-env/testenv\nRUN <<EOF\necho hi > /x\nEOF\n" }),
      await writeTask("from-ubuntu", { Dockerfile: "FROM ubuntu:24.04\nRUN true\n" }),
      await writeTask("good-base", { Dockerfile: `FROM skilldelta-base\nRUN echo b-${salt} > /b\n` }),
      await writeTask("no-such-env", { Dockerfile: "FROM skilldelta-env/does-not-exist\n" }),
    ];
    const events: ImageProgress[] = [];
    const result = await ensureImages(tasks, { environmentsDirs: inject("environmentsDirs"), concurrency: 2, onProgress: (e) => events.push(e) });

    ok(result.tasks["good-a"]);
    expect(ok(result.tasks["good-base"]).parentImageId).toBe((await docker.getImage(inject("baseImage")).inspect()).Id);

    const failed = result.tasks["fails-run"];
    expect(failed?.ok).toBe(false);
    if (failed?.ok === false) {
      expect(failed.error.code).toBe("SD_IMAGE_BUILD_FAILED");
      expect(failed.error.message).toContain("task fails-run");
      expect(failed.error.message).toContain("the-step-broke-marker");
      expect(failed.error.message).toContain("returned a non-zero code: 3");
    }
    const heredoc = result.tasks.heredoc;
    expect(heredoc?.ok === false && heredoc.error.code).toBe("SD_UNSUPPORTED");
    const ubuntu = result.tasks["from-ubuntu"];
    expect(ubuntu?.ok === false && ubuntu.error.message).toContain("not available offline");
    const missing = result.tasks["no-such-env"];
    expect(missing?.ok === false && missing.error.code).toBe("SD_NOT_FOUND");

    expect(Object.keys(result.environments).sort()).toEqual(["base", "testenv"]);
    expect(result.environments.testenv).toMatchObject({ tag: inject("testenvImage"), manifest_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.environments.base?.tag).toBe(inject("baseImage"));

    const phases = (name: string) => events.filter((e) => e.name === name && e.phase !== "log").map((e) => e.phase);
    expect(phases("testenv")).toEqual(["start", "done"]);
    expect(phases("good-a")).toEqual(["start", "done"]);
    expect(phases("fails-run")).toEqual(["start", "failed"]);
    expect(phases("does-not-exist")).toEqual(["start", "failed"]);
  });

  it("stops a build at build_timeout_sec and leaves no build container behind", async () => {
    const task = await writeTask("slow", { Dockerfile: `FROM skilldelta-base\nRUN echo ${salt} && sleep 60\n` }, "");
    task.config.environment.build_timeout_sec = 2;
    const started = performance.now();
    const err = (await buildTaskImage(task).catch((e: unknown) => e)) as SkillDeltaError;
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(err.code).toBe("SD_IMAGE_BUILD_FAILED");
    expect(err.message).toContain("build timed out after 2 s");
    expect(err.hint).toContain("build_timeout_sec");
    await new Promise((r) => setTimeout(r, 1000));
    const leftovers = await docker.listContainers({ all: true });
    expect(leftovers.filter((c) => c.Command.includes(salt))).toEqual([]);
  });

  it("warns when a task does not build FROM its family's declared environment", async () => {
    await mkdir(join(suite, "fam"), { recursive: true });
    await writeFile(
      join(suite, "fam", "family.toml"),
      'id = "fam"\ntitle = "t"\ndomain = "d"\nenvironment = "testenv"\nwhere_the_knowledge_lives = "w"\nwhy_a_skill_helps = "y"\n[splits]\nacquisition = []\nevaluation = []\n',
    );
    const task = await writeTask("fam/off-env", { Dockerfile: `FROM skilldelta-base\nRUN echo ${salt} > /c\n` });
    const result = await ensureImages([task], { environmentsDirs: inject("environmentsDirs") });
    ok(result.tasks["off-env"]);
    expect(result.warnings.join("\n")).toContain("family fam declares environment `testenv` but the Dockerfile does not build FROM skilldelta-env/testenv");
  });

  it("builds with the network only when the task allows the internet", async () => {
    const task = await writeTask("online", { Dockerfile: `FROM skilldelta-env/testenv\nRUN echo ${salt} && ls /sys/class/net > /netifs\n` }, "allow_internet = true\n");
    const built = await buildTaskImage(task, { environmentsDirs: inject("environmentsDirs") });
    created.add(built.image);
    expect(built.network).toBe("host");
    expect((await runInImage(docker, built.image, ["cat", "/netifs"])).split("\n").filter(Boolean).length).toBeGreaterThan(1);
  });
});
