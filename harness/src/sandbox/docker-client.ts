import Docker from "dockerode";
import { SkillDeltaError } from "../core/errors.ts";

let shared: Docker | undefined;

/** One dockerode client per process, talking to DOCKER_HOST or the local socket. */
export function dockerClient(): Docker {
  shared ??= new Docker();
  return shared;
}

/**
 * Checks that a Docker daemon answers; returns its version.
 * @throws SkillDeltaError SD_DOCKER_UNAVAILABLE with a hint on how to start one
 */
export async function requireDocker(docker = dockerClient()): Promise<{ version: string; apiVersion: string; storageDriver: string; cgroupVersion: string; buildkit: boolean }> {
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return {
      version: version.Version,
      apiVersion: version.ApiVersion,
      storageDriver: String(info.Driver ?? "unknown"),
      cgroupVersion: String(info.CgroupVersion ?? "1"),
      buildkit: false,
    };
  } catch (error) {
    throw new SkillDeltaError("SD_DOCKER_UNAVAILABLE", "no Docker daemon answers", {
      cause: error,
      hint: "install Docker (Debian: apt-get install docker.io) and start it (`dockerd &` or `systemctl start docker`), or set DOCKER_HOST",
    });
  }
}
