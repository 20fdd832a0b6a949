import { defineConfig } from "vitest/config";

// Unit tests are fast and pure; integration tests drive real Docker containers, so they get
// long timeouts and share the machine's two cores with at most one other test file.
export default defineConfig({
  test: {
    include: ["harness/test/**/*.test.ts"],
    // tests that restart dockerd run alone, after the rest (vitest.destructive.config.ts)
    exclude: ["harness/test/destructive/**", "**/node_modules/**"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    maxWorkers: 2,
    globalSetup: ["harness/test/global-setup.ts"],
  },
});
