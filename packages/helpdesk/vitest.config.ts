import { defineConfig } from "vitest/config";

// Prism starts in beforeAll, and the property tests compile ajv validators and run hundreds of
// cases: seconds each on a busy machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
