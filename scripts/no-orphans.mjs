#!/usr/bin/env node
// Fails when a Prism process outlived the run that started it.
import { createRequire } from "node:module";

// @cskit/prism is a workspace package; resolve it through the CLI that depends on it.
const require = createRequire(new URL("../apps/cli/package.json", import.meta.url));
const { listPrismProcesses } = await import(require.resolve("@cskit/prism"));

const found = listPrismProcesses();
if (found.length > 0) {
  console.error(`Prism processes left behind:\n${found.map((p) => `${p.pid} ${p.args}`).join("\n")}`);
  process.exit(1);
}
console.log("no Prism process left behind");
