// @ts-check
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "astro/config";
import { dataFiles } from "./src/integrations/data-files.ts";

const here = dirname(fileURLToPath(import.meta.url));
// The results the site renders: $SKILLDELTA_RESULTS, else <repo>/results. Resolved here once,
// so pages read one absolute path whatever the working directory of `astro build`.
process.env.SKILLDELTA_RESULTS = resolve(process.env.SKILLDELTA_RESULTS ?? resolve(here, "../results"));

export default defineConfig({
  output: "static",
  base: process.env.SKILLDELTA_SITE_BASE ?? "/",
  trailingSlash: "ignore",
  build: { format: "directory" },
  integrations: [dataFiles()],
  // No telemetry, no prefetch of external resources: the site is self-contained.
  devToolbar: { enabled: false },
  vite: {
    // pages import the analysis schema from ../harness (the single source of truth)
    server: { fs: { allow: [resolve(here, "..")] } },
  },
});
