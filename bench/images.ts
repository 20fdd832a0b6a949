/**
 * Image cache benchmark: an environment and a task image are built once from scratch (a
 * nonce makes them new), then again with nothing changed; the ratio second/first shows what
 * the content-addressed cache saves. The temporary images are removed afterwards.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { buildEnvironment, ensureImages } from "../harness/src/sandbox/index.ts";
import { loadTasks } from "../harness/src/task/index.ts";

const run = promisify(execFile);

export interface CacheResult {
  env_first_seconds: number;
  env_second_seconds: number;
  env_ratio: number;
  task_first_seconds: number;
  task_second_seconds: number;
  task_ratio: number;
}

export async function imageCacheBench(): Promise<CacheResult> {
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const root = await mkdtemp(join(tmpdir(), "sd-bench-img-"));
  const envs = join(root, "environments");
  const env = `benchenv-${nonce}`;
  await mkdir(join(envs, env), { recursive: true });
  await writeFile(join(envs, env, "Dockerfile"), `FROM skilldelta-base\nRUN echo ${nonce} > /etc/bench-nonce\n`);
  const fam = join(root, "tasks", "benchfam");
  await mkdir(join(fam, "bench-task", "environment"), { recursive: true });
  await mkdir(join(fam, "bench-task", "tests"), { recursive: true });
  await writeFile(join(fam, "family.toml"), `id = "benchfam"\ntitle = "bench"\ndomain = "bench"\nenvironment = "${env}"\nwhere_the_knowledge_lives = "n/a"\nwhy_a_skill_helps = "n/a"\n[splits]\nacquisition = []\nevaluation = ["bench-task"]\n`);
  await writeFile(join(fam, "bench-task", "instruction.md"), "Nothing.\n");
  await writeFile(join(fam, "bench-task", "task.toml"), "version = \"1.0\"\n");
  await writeFile(join(fam, "bench-task", "tests", "test.sh"), "#!/bin/bash\necho 0 > /logs/verifier/reward.txt\n");
  await writeFile(join(fam, "bench-task", "environment", "Dockerfile"), `FROM skilldelta-env/${env}\nRUN echo task-${nonce} > /root/nonce\n`);
  const tags: string[] = [];
  try {
    const e1 = await buildEnvironment(env, { environmentsDirs: [envs] });
    const e2 = await buildEnvironment(env, { environmentsDirs: [envs] });
    tags.push(e1.tag, `skilldelta-env/${env}`);
    const { tasks } = await loadTasks([fam]);
    const t0 = performance.now();
    const r1 = await ensureImages(tasks, { environmentsDirs: [envs] });
    const task1 = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await ensureImages(tasks, { environmentsDirs: [envs] });
    const task2 = (performance.now() - t1) / 1000;
    for (const r of Object.values(r1.tasks)) if (r.ok) tags.push(r.image);
    return { env_first_seconds: e1.seconds, env_second_seconds: e2.seconds, env_ratio: e2.seconds / e1.seconds, task_first_seconds: task1, task_second_seconds: task2, task_ratio: task2 / task1 };
  } finally {
    // through the CLI with a timeout: dockerode's remove of a tag with dependants can stall here
    await run("docker", ["rmi", "-f", ...tags.reverse()], { timeout: 60_000 }).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}
