import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 180_000 } }); // Prism can take up to its 120 s start timeout on a busy machine
