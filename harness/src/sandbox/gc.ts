import { hostname } from "node:os";
import type Docker from "dockerode";
import { SandboxError } from "../core/errors.ts";
import { labels } from "../core/paths.ts";
import { dockerClient } from "./docker-client.ts";

/** One container `gcLeftovers` looked at. */
export interface GcEntry {
  id: string;
  name: string;
  run: string;
  trial?: string;
  /** why it was removed or kept */
  reason: string;
}

export interface GcResult {
  removed: GcEntry[];
  kept: GcEntry[];
}

export interface GcOptions {
  /** remove every SkillDelta container, even those whose owning process is alive */
  all?: boolean;
  /** consider only containers of this run */
  runId?: string;
  docker?: Docker;
}

/**
 * True when a process with this pid exists on this host. EPERM means it exists but belongs to
 * another user. A recycled pid reads as alive, which errs on the side of keeping a container.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the containers a crashed or killed run left behind: those labelled `skilldelta.run`
 * whose owning process (labels `skilldelta.pid` on `skilldelta.host`) no longer runs on this
 * host, or all of them with `all`. Containers of another host are kept: their owner cannot be
 * checked from here.
 * @throws SandboxError when Docker cannot list containers
 */
export async function gcLeftovers(options: GcOptions = {}): Promise<GcResult> {
  const docker = options.docker ?? dockerClient();
  const filter = options.runId === undefined ? labels.run : `${labels.run}=${options.runId}`;
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({ all: true, filters: { label: [filter] } });
  } catch (error) {
    throw new SandboxError(`cannot list containers: ${(error as Error).message}`, { cause: error, hint: "is the Docker daemon running?" });
  }
  const here = hostname();
  const result: GcResult = { removed: [], kept: [] };
  for (const info of containers) {
    const entry: GcEntry = {
      id: info.Id,
      name: (info.Names[0] ?? info.Id).replace(/^\//, ""),
      run: info.Labels[labels.run] ?? "",
      trial: info.Labels[labels.trial],
      reason: "",
    };
    const pid = Number(info.Labels[labels.pid]);
    const host = info.Labels[labels.host];
    let remove = false;
    if (options.all) {
      remove = true;
      entry.reason = "--all";
    } else if (host !== undefined && host !== here) {
      entry.reason = `owned by host ${host}; cannot check its process from ${here}`;
    } else if (!info.Labels[labels.pid]) {
      entry.reason = "no owner pid label; remove with --all";
    } else if (processAlive(pid)) {
      entry.reason = `owner process ${pid} is alive`;
    } else {
      remove = true;
      entry.reason = `owner process ${pid} is gone`;
    }
    if (!remove) {
      result.kept.push(entry);
      continue;
    }
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      result.removed.push(entry);
    } catch (error) {
      // removed concurrently by someone else counts as removed; other failures are reported as kept
      if ((error as { statusCode?: number }).statusCode === 404) result.removed.push(entry);
      else result.kept.push({ ...entry, reason: `removal failed: ${(error as Error).message}` });
    }
  }
  return result;
}
