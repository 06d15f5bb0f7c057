import { defineConfig } from "vitest/config";

// Parsing the specs, compiling ajv validators and 200-run properties take seconds on a busy machine.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
