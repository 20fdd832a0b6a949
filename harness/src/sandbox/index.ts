/**
 * Sandboxes and the images they run (DESIGN section 4): the `Sandbox` contract, its Docker
 * provider, leftover cleanup, the offline base, family environments and task images.
 */
export type { Sandbox, SandboxProvider, SandboxSpec, SandboxLimits, SandboxCapabilities, SandboxHealth, ExecOptions, ExecResult, Mount, FsChange } from "./types.ts";
export { DockerProvider, type DockerProviderOptions } from "./docker.ts";
export { dockerClient, requireDocker } from "./docker-client.ts";
export { gcLeftovers, type GcResult, type GcEntry, type GcOptions } from "./gc.ts";
export { buildBase, baseTag, buildEnvironment, createResolver, listEnvironments, findEnvironment, type EnvironmentBuild, type ImageLock, type ImageResolver as EnvironmentResolver } from "./environments.ts";
export { buildTaskImage, ensureImages, type TaskImage, type TaskImageResult, type ImageProgress, type EnsureImagesResult } from "./images.ts";
