import { defineConfig } from "vitest/config";

// `pnpm docs:test`: the built site in headless Chromium. Run `pnpm docs:build` first.
export default defineConfig({
  test: { include: ["test/site/*.test.mjs"], testTimeout: 180_000, hookTimeout: 60_000 },
});
