import { defineConfig } from "vitest/config";

// size.test.ts bundles a program with esbuild: seconds on a busy machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
