import { defineConfig } from "vitest/config";

// Some tests move tens of megabytes or redact a million strings: seconds on a busy machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
