import type { Command } from "commander";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { InputError } from "../../core/errors.ts";

// bullmq, ioredis and the run machinery load inside the actions, not when the CLI starts
const distributed = () => import("../../distributed/index.ts");
import { dockerContext } from "../docker-context.ts";
import { info, printJson, table } from "../output.ts";

interface WorkerFlags {
  queue?: string;
  concurrency: number;
  tasks: string[];
  envDir?: string[];
  assetCache?: string;
  name?: string;
  workDir?: string;
  stallMs?: number;
  registry?: string;
  quiet?: boolean;
}

/** `skilldelta worker` and `skilldelta workers`: the worker side of distributed runs. */
export function registerDistributedCommands(program: Command): void {
  program
    .command("worker")
    .description("run trials of distributed runs on this machine's Docker (refuses runs whose lock differs from its tasks/images)")
    .option("--queue <url>", "Redis URL (default $SKILLDELTA_QUEUE); put a password there, not on the command line")
    .option("-c, --concurrency <n>", "trials at once on this machine", toInt, 2)
    .option("--tasks <dirs...>", "this machine's copy of the task suite", ["tasks"])
    .option("--env-dir <dirs...>", "folders holding environments (default environments/)")
    .option("--asset-cache <dir>", "this machine's copy of the task asset cache (default $SKILLDELTA_ASSET_CACHE, else ~/.cache/skilldelta/assets)")
    .option("--name <id>", "worker name shown by `skilldelta workers` (default <host>-<pid>)")
    .option("--work-dir <dir>", "scratch trial folders and cached skill libraries")
    .option("--stall-ms <ms>", "a worker silent this long loses its trials to others", toInt, 15_000)
    .option("--registry <host:port>", "pull task images by digest from this Docker registry (the coordinator's --registry, as this host reaches it) instead of building them")
    .option("-q, --quiet", "log only refusals and errors")
    .addHelpText(
      "after",
      `
Stop with Ctrl-C (or SIGTERM): running trials finish first; a second Ctrl-C leaves at once
(BullMQ then re-queues those trials to other workers after --stall-ms).

Examples:
  SKILLDELTA_QUEUE=redis://:secret@queue.lab:6379 skilldelta worker -c 8
  skilldelta worker --queue redis://127.0.0.1:6379 --tasks tasks --concurrency 2
  skilldelta worker --queue redis://127.0.0.1:6379 --registry registry.lab:5000 -c 8`,
    )
    .action(async (flags: WorkerFlags) => {
      const { parseRegistry, probe, pullTaskImages, redact, TrialWorker } = await distributed();
      const { dockerClient, gcLeftovers } = await import("../../sandbox/index.ts");
      const url = queueUrl(flags.queue);
      const registry = flags.registry === undefined ? undefined : parseRegistry(flags.registry);
      await probe(url);
      if (flags.concurrency < 1) throw new InputError("--concurrency must be at least 1", { field: "--concurrency" });
      const environments = (flags.envDir ?? ["environments"]).map((d) => resolve(d));
      const ctx = await dockerContext({ environments, quiet: flags.quiet, assetCache: flags.assetCache });
      const log = (line: string) => {
        if (!flags.quiet || /REFUSING|cannot/.test(line)) process.stderr.write(`[worker${flags.name ? ` ${flags.name}` : ""}] ${line}\n`);
      };
      const worker = new TrialWorker(
        {
          url,
          name: flags.name,
          concurrency: flags.concurrency,
          taskDirs: flags.tasks.map((d) => resolve(d)),
          workDir: resolve(flags.workDir ?? join(tmpdir(), `skilldelta-worker-${flags.name ?? process.pid}`)),
          stallMs: flags.stallMs,
          log,
        },
        {
          provider: ctx.provider,
          capabilities: ctx.capabilities,
          resolveImages: ctx.resolveImages,
          reapLeftovers: async (runId) => (await gcLeftovers({ runId })).removed.length,
          // a run's images come from the registry by digest when one is given (checkLock verifies their ids)
          ...(registry ? { pullImages: (m, ids) => pullTaskImages(dockerClient(), m.lock, m.registry!, registry, ids) } : {}),
        },
      );
      await worker.start();
      log(`${worker.id} connected to ${redact(url)}, concurrency ${flags.concurrency}${registry ? `, images from registry ${registry}` : ""}`);
      await new Promise<void>((done) => {
        let stopping = false;
        const onSignal = () => {
          if (stopping) process.exit(130);
          stopping = true;
          log("stopping: finishing running trials (Ctrl-C again to leave now)");
          void worker.stop().then(done);
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
      });
    });

  program
    .command("workers")
    .description("list workers connected to a queue and their load")
    .option("--queue <url>", "Redis URL (default $SKILLDELTA_QUEUE)")
    .option("--json", "print the heartbeats as JSON")
    .action(async (flags: { queue?: string; json?: boolean }) => {
      const { connect, listWorkers, probe, redact } = await distributed();
      const url = queueUrl(flags.queue);
      await probe(url);
      const redis = connect(url);
      try {
        const workers = await listWorkers(redis);
        if (flags.json) return printJson(workers);
        if (!workers.length) return info(`no worker connected to ${redact(url)}`);
        console.log(
          table(
            ["worker", "host", "running", "done", "failed", "runs", "refused", "seen"],
            workers.map((w) => [w.id, w.host, `${w.running.length}/${w.concurrency}`, w.done, w.failed, w.accepted_runs.join(",") || "-", Object.keys(w.refused_runs).join(",") || "-", `${Math.round((Date.now() - Date.parse(w.seen_at)) / 1000)}s ago`]),
          ),
        );
        for (const w of workers) for (const [run, why] of Object.entries(w.refused_runs)) console.log(`${w.id} refuses ${run}: ${why}`);
      } finally {
        redis.disconnect();
      }
    });
}

function queueUrl(flag: string | undefined): string {
  const url = flag ?? process.env.SKILLDELTA_QUEUE;
  if (!url) throw new InputError("no queue given", { field: "--queue", hint: "pass --queue redis://host:port or set SKILLDELTA_QUEUE" });
  return url;
}

function toInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InputError(`expected an integer, got \`${v}\``);
  return n;
}
