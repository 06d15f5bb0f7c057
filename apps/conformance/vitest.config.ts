import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Spawned CLIs against Prism: 30 s was not enough at load 30 on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
