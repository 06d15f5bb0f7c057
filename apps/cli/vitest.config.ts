import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000, // Prism can take up to its 120 s start timeout on a busy machine
    // The tests mostly wait on the processes they spawn: a worker per core (vitest's default leaves one idle).
    maxWorkers: "100%",
  },
});
