#!/usr/bin/env node
// Fails when a Prism process of this checkout outlived the run that started it. Prism processes
// of other checkouts on the same machine (another clone running its own tests) are not ours.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// @cskit/prism is a workspace package; resolve it through the CLI that depends on it.
const require = createRequire(new URL("../apps/cli/package.json", import.meta.url));
const { listPrismProcesses } = await import(require.resolve("@cskit/prism"));

const root = fileURLToPath(new URL("..", import.meta.url));
const found = listPrismProcesses().filter((p) => p.args.includes(root));
if (found.length > 0) {
  console.error(`Prism processes left behind:\n${found.map((p) => `${p.pid} ${p.args}`).join("\n")}`);
  process.exit(1);
}
console.log("no Prism process left behind");
