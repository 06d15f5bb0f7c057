import { defineConfig } from "vitest/config";

// The site's browser test (test/site/) runs on its own, after `pnpm docs:build`: vitest.site.config.mjs.
export default defineConfig({ test: { include: ["test/*.test.mjs"], testTimeout: 120_000 } });
