import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Some tests move tens of megabytes or redact a million strings: seconds on a busy machine.
export default defineConfig({
  // The sources, not dist: package.json `imports` maps these to built files.
  resolve: {
    alias: {
      "#pick": fileURLToPath(new URL("src/internal/send/pick.ts", import.meta.url)),
      "#node-dispatchers": fileURLToPath(new URL("src/internal/send/node-dispatchers.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
