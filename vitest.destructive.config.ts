import { defineConfig } from "vitest/config";

// Tests that restart the Docker daemon. They kill every container on the host, so they run
// alone, after the main suite (`vitest run --config vitest.destructive.config.ts`), never in
// parallel with other test files.
export default defineConfig({
  test: {
    include: ["harness/test/destructive/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    maxWorkers: 1,
    fileParallelism: false,
    globalSetup: ["harness/test/global-setup.ts"],
  },
});
