import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { buildBase, buildEnvironment, type EnvironmentBuild } from "../src/sandbox/environments.ts";
import { requireDocker } from "../src/sandbox/docker-client.ts";

/**
 * Integration tests need the offline base image and the tiny `testenv` environment; building
 * them once here keeps test files independent. On a fresh machine this debootstraps the base
 * (~40 s) and builds testenv (a few seconds); when both exist it is two image lookups.
 * Tests read the tags with `inject("baseImage")`, `inject("testenvImage")`, and pass
 * `inject("environmentsDirs")` to ensureImages so fixture tasks can build FROM skilldelta-env/testenv.
 */

/** Folder holding the test-only environments (`testenv`). */
export const fixtureEnvironmentsDir = fileURLToPath(new URL("./fixtures/environments", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    /** content tag of the base image, `skilldelta-base:<digest12>` */
    baseImage: string;
    /** content tag of the test environment, `skilldelta-env/testenv:<digest12>` */
    testenvImage: string;
    /** pass as `environmentsDirs` so tasks can name `testenv` */
    environmentsDirs: string[];
  }
}

export default async function setup(project: TestProject): Promise<void> {
  try {
    await requireDocker();
  } catch (error) {
    // unit tests still run; integration tests fail on the missing tags with this reason above them
    console.warn(`[global-setup] no Docker, integration tests will fail: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const started = performance.now();
  const note = (b: EnvironmentBuild): void => {
    for (const w of b.warnings) console.warn(`[global-setup] ${w}`);
    if (b.built) console.log(`[global-setup] built ${b.tag} in ${b.seconds.toFixed(1)} s`);
  };
  const base = await buildBase();
  note(base);
  const testenv = await buildEnvironment("testenv", { environmentsDirs: [fixtureEnvironmentsDir] });
  note(testenv);
  project.provide("baseImage", base.tag);
  project.provide("testenvImage", testenv.tag);
  project.provide("environmentsDirs", [fixtureEnvironmentsDir]);
  const seconds = (performance.now() - started) / 1000;
  if (seconds > 5) console.log(`[global-setup] images ready in ${seconds.toFixed(1)} s`);
}
