import { SkillDeltaError } from "../core/errors.ts";
import type { ImageResolver, RunDeps } from "../run/index.ts";
import { info } from "./output.ts";

/**
 * Wires the Docker provider and the image builder into what a run needs. Image builds report
 * progress on stderr; a task whose build fails is excluded with its log tail, the rest go on.
 * @throws SkillDeltaError SD_DOCKER_UNAVAILABLE with a hint when no daemon answers
 */
export async function dockerContext(opts: { environments?: string[]; quiet?: boolean; /** task asset cache (default `$SKILLDELTA_ASSET_CACHE` or ~/.cache/skilldelta/assets) */ assetCache?: string }): Promise<Omit<RunDeps, "quiet" | "tty">> {
  // dockerode (and protobufjs behind it) is heavy: load it only when a command needs Docker
  const { DockerProvider, ensureImages, gcLeftovers, requireDocker } = await import("../sandbox/index.ts");
  const version = await requireDocker();
  const provider = new DockerProvider();
  const capabilities = await provider.capabilities();
  if (!opts.quiet) for (const note of capabilities.notes) info(`sandbox: ${note}`);
  const resolveImages: ImageResolver = async (tasks) => {
    const result = await ensureImages(tasks, {
      environmentsDirs: opts.environments,
      assetCache: opts.assetCache,
      onProgress: (e) => {
        if (opts.quiet) return;
        if (e.phase === "done" && e.built) info(`built ${e.kind} ${e.name} → ${e.tag} in ${e.seconds.toFixed(1)} s`);
        if (e.phase === "failed") info(`build failed: ${e.kind} ${e.name}: ${e.error.message.split("\n")[0]}`);
      },
    });
    for (const w of result.warnings) if (!opts.quiet) info(`warning: ${w}`);
    const images = new Map<string, { image: string; imageId: string }>();
    const failures: { task: string; reason: string }[] = [];
    for (const [taskId, r] of Object.entries(result.tasks)) {
      if (r.ok) images.set(taskId, { image: r.image, imageId: r.imageId });
      else failures.push({ task: taskId, reason: r.error instanceof SkillDeltaError ? r.error.format() : String(r.error) });
    }
    return { images, failures, environments: result.environments };
  };
  return {
    provider,
    capabilities,
    resolveImages,
    reapLeftovers: async (runId) => (await gcLeftovers({ runId })).removed.length,
    docker: { version: version.version, api: version.apiVersion, storage_driver: version.storageDriver, cgroup: version.cgroupVersion },
  };
}
