#!/usr/bin/env node
// The cskit command. It runs the built CLI, or says how to build it.
import { existsSync } from "node:fs";

const entry = new URL("../dist/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("cskit is not built yet: run `pnpm install && pnpm build` at the repository root.\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
