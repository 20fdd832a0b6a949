import { agentKinds } from "../agent/index.ts";
import { stableStringify } from "../core/digest.ts";
import type { ImageResolver } from "../run/index.ts";
import type { SandboxCapabilities } from "../sandbox/index.ts";
import type { Task } from "../task/index.ts";
import type { RunManifest } from "./schema.ts";

/** What a worker found on its own disk and Docker, to compare with a run's lock. */
export interface LocalFacts {
  harnessVersion: string;
  harnessDigest: string;
  /** tasks loaded from the worker's --tasks folders */
  tasks: Task[];
  resolveImages: ImageResolver;
  capabilities: SandboxCapabilities;
  /**
   * Set on a worker started with `--registry`: obtains the run's task images from the registry
   * by digest instead of building them (see images.ts).
   */
  pullImages?: (manifest: RunManifest, taskIds: string[]) => Promise<{ images: Map<string, { image: string; imageId: string; pulled: boolean }>; problems: string[] }>;
}

export interface LockCheck {
  /** empty when the worker may run trials of this run */
  problems: string[];
  /** differences that do not change what a trial sees (e.g. an image id rebuilt on this host) */
  notes: string[];
  /** the run's tasks on this worker, by id, with their image tags and ids */
  tasks: Map<string, { task: Task; image: string; imageId: string }>;
}

const short = (s: string | undefined) => (s ? s.replace(/^sha256:/, "").slice(0, 12) : "(absent)");

/**
 * Compares a run's lock with this worker: harness version, every task's content digest, the
 * task image tags and environment digests/package manifests after building or reusing them
 * here, the sandbox's enforced capabilities, and the agent kinds. Any difference is a problem:
 * (harness sources that differ at the same version are a note, so an edited checkout still serves)
 * a worker that differs never runs a trial of the run. Image ids that differ while their
 * content tags and manifests match (the same inputs built on another host) are notes.
 */
export async function checkLock(manifest: RunManifest, local: LocalFacts): Promise<LockCheck> {
  const { lock } = manifest;
  const problems: string[] = [];
  const notes: string[] = [];
  const tasks: LockCheck["tasks"] = new Map();
  if (manifest.harness_version !== local.harnessVersion) problems.push(`harness version: run ${manifest.harness_version}, worker ${local.harnessVersion}`);
  // sources differ in edited checkouts; what decides a trial's result (tasks, images, sandbox, agents) is checked below
  else if (manifest.harness_digest !== local.harnessDigest) notes.push(`harness sources differ: run ${short(manifest.harness_digest)}, worker ${short(local.harnessDigest)}; run the same SkillDelta revision everywhere`);

  const byId = new Map(local.tasks.map((t) => [t.id, t]));
  const matching: Task[] = [];
  for (const [id, entry] of Object.entries(lock.tasks)) {
    const t = byId.get(id);
    if (!t) problems.push(`task ${id}: not found in the worker's --tasks folders`);
    else if (t.digest !== entry.digest) problems.push(`task ${id}: content digest ${short(t.digest)} ≠ lock ${short(entry.digest)} (a different checkout of the suite)`);
    else matching.push(t);
  }

  for (const kind of new Set(Object.values(lock.agents).map((a) => a.kind))) {
    if (!(kind in agentKinds)) problems.push(`agent kind ${kind}: unknown to this worker`);
  }

  const capsLock = lock.sandbox as Record<string, unknown>;
  const capsHere = local.capabilities as unknown as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(capsLock), ...Object.keys(capsHere)])].sort()) {
    if (stableStringify(capsLock[k]) !== stableStringify(capsHere[k])) problems.push(`sandbox.${k}: run ${stableStringify(capsLock[k])}, worker ${stableStringify(capsHere[k])}`);
  }

  if (problems.length) return { problems, notes, tasks };
  if (local.pullImages) return checkPulled(manifest, local.pullImages, matching, { problems, notes, tasks });

  const { images, failures, environments } = await local.resolveImages(matching);
  for (const f of failures) problems.push(`task ${f.task}: image does not build here: ${f.reason.split("\n")[0]}`);
  for (const [name, want] of Object.entries(lock.environments)) {
    const got = environments[name];
    if (!got) {
      problems.push(`environment ${name}: not built here`);
      continue;
    }
    if (got.tag !== want.tag) problems.push(`environment ${name}: tag ${got.tag} ≠ lock ${want.tag}`);
    if (want.digest !== got.digest) problems.push(`environment ${name}: digest ${short(got.digest)} ≠ lock ${short(want.digest)}`);
    if (want.manifest_sha256 !== got.manifest_sha256) problems.push(`environment ${name}: package manifest ${short(got.manifest_sha256)} ≠ lock ${short(want.manifest_sha256)}`);
    if (got.image_id !== want.image_id) notes.push(`environment ${name}: image id ${short(got.image_id)} here, ${short(want.image_id)} in the lock (same inputs and packages)`);
  }
  for (const t of matching) {
    const img = images.get(t.id);
    const want = lock.tasks[t.id]!;
    if (!img) continue;
    if (img.image !== want.image) problems.push(`task ${t.id}: image tag ${img.image} ≠ lock ${want.image}`);
    else {
      if (img.imageId !== want.image_id) notes.push(`task ${t.id}: image id ${short(img.imageId)} here, ${short(want.image_id)} in the lock (same content tag)`);
      tasks.set(t.id, { task: t, image: img.image, imageId: img.imageId });
    }
  }
  return { problems, notes, tasks };
}

/**
 * The registry path: task images pulled by digest must have exactly the lock's image ids. The
 * environments are not built here: an image id is the digest of the image config, which names
 * every layer, so it pins the environment layers underneath as well.
 */
async function checkPulled(manifest: RunManifest, pullImages: NonNullable<LocalFacts["pullImages"]>, matching: Task[], out: LockCheck): Promise<LockCheck> {
  const { lock } = manifest;
  if (!manifest.registry) {
    out.problems.push("this worker pulls task images from a registry (--registry), but the coordinator published none: start the coordinator with `--registry host:port`, or this worker without --registry to build the images here");
    return out;
  }
  const started = performance.now();
  const { images, problems } = await pullImages(manifest, matching.map((t) => t.id));
  out.problems.push(...problems);
  const pulled = [...images.values()].filter((i) => i.pulled).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  out.notes.push(`task images from registry ${manifest.registry.registry} by digest: ${pulled} pulled, ${images.size - pulled} already here (${seconds} s); environments not built (the image ids pin their layers)`);
  for (const t of matching) {
    const img = images.get(t.id);
    const want = lock.tasks[t.id]!;
    if (!img) continue;
    // pullTaskImages only tags an image whose id it verified; checked again so a wrong pull function cannot slip through
    if (img.image !== want.image || img.imageId !== want.image_id) out.problems.push(`task ${t.id}: image ${img.image} (${short(img.imageId)}) ≠ lock ${want.image} (${short(want.image_id)})`);
    else out.tasks.set(t.id, { task: t, image: img.image, imageId: img.imageId });
  }
  return out;
}
