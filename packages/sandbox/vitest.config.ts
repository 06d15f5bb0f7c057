import { defineConfig } from "vitest/config";

// Tests start Prism processes: generous timeouts on a loaded machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
