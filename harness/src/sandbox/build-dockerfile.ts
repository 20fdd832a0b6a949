import type Docker from "dockerode";
import { SkillDeltaError } from "../core/errors.ts";
import { imageNames } from "../core/paths.ts";
import { parseDockerfile, rewriteDockerfile } from "../task/dockerfile.ts";
import { localImageId, splitRef } from "./build-docker.ts";

/** A FROM reference SkillDelta builds itself, so it can be pinned to a content tag. */
export type LocalRef = { kind: "base" } | { kind: "environment"; name: string };

/**
 * Recognises `skilldelta-base` and `skilldelta-env/<name>`, untagged or `:latest`. A ref with
 * another tag (say `skilldelta-base:18e163d02aab`) is already pinned and is used as written.
 */
export function parseLocalRef(ref: string): LocalRef | undefined {
  const { repo, tag } = splitRef(ref.replace(/^(docker\.io\/)?(library\/)?/, ""));
  if (tag !== "latest" || ref.includes("@")) return undefined;
  if (repo === imageNames.base) return { kind: "base" };
  const prefix = imageNames.environmentRepo("");
  if (repo.startsWith(prefix) && /^[a-z0-9][a-z0-9._-]*$/.test(repo.slice(prefix.length))) return { kind: "environment", name: repo.slice(prefix.length) };
  return undefined;
}

/** FROM refs of a Dockerfile that name images (not earlier stages, not `scratch`). */
export function externalFroms(text: string): string[] {
  const stages = new Set<string>();
  const refs: string[] = [];
  for (const ins of parseDockerfile(text)) {
    if (ins.keyword !== "FROM") continue;
    const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith("--"));
    const ref = parts[0] ?? "";
    if (!stages.has(ref.toLowerCase()) && ref !== "scratch") refs.push(ref);
    if ((parts[1] ?? "").toLowerCase() === "as" && parts[2]) stages.add(parts[2].toLowerCase());
  }
  return refs;
}

/**
 * Refuses Dockerfiles this host's builder cannot run. docker.io 20.10 builds with the legacy
 * builder, which reads `RUN <<EOF` heredoc bodies as instructions of their own and fails with
 * a confusing "unknown instruction"; we say why up front instead.
 * @throws SkillDeltaError SD_UNSUPPORTED naming the line
 */
export function checkLegacyBuildable(text: string, file: string): void {
  for (const ins of parseDockerfile(text)) {
    if (ins.args.includes("\n") && /<<-?\s*['"]?\w+/.test(ins.args)) {
      throw new SkillDeltaError("SD_UNSUPPORTED", `${ins.keyword} <<heredoc at line ${ins.line} needs BuildKit, and this host's Docker builds with the legacy builder (no BuildKit), so it cannot build here`, {
        file,
        field: `line ${ins.line}`,
        hint: "write the heredoc body to a file in the build context and COPY it, or use RUN printf '...' > file",
      });
    }
  }
}

/**
 * Rewrites a Dockerfile for building: skill COPY lines neutralised and SkillDelta refs pinned
 * by `pin`. Heredocs are refused first (see checkLegacyBuildable).
 */
export function prepareDockerfile(text: string, file: string, pin: (ref: LocalRef) => string) {
  checkLegacyBuildable(text, file);
  const rewrite = rewriteDockerfile(text, (ref) => {
    const local = parseLocalRef(ref);
    return local ? pin(local) : undefined;
  });
  return { ...rewrite, froms: externalFroms(rewrite.text) };
}

/**
 * Resolves the image id of every FROM image, refusing anything not present locally: the
 * builder never pulls, and a registry image (`ubuntu:24.04`) would need the internet.
 * @throws SkillDeltaError SD_IMAGE_BUILD_FAILED naming the missing image
 */
export async function requireLocalImages(docker: Docker, refs: string[], file: string): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    if (ref.includes("$")) {
      throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `FROM ${ref} uses a build argument, so the parent image cannot be pinned`, { file, field: "FROM", hint: "write the image name out in full" });
    }
    const id = await localImageId(docker, ref);
    if (!id) {
      throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `FROM ${ref}: the image is not available offline (not present locally, and builds never pull from a registry)`, {
        file,
        field: "FROM",
        hint: `build FROM skilldelta-env/<name> (an environment under environments/) or ${imageNames.base}`,
      });
    }
    ids.push(id);
  }
  return ids;
}
