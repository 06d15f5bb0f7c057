#!/usr/bin/env node
// Fails when a Prism process outlived the run that started it (`pgrep -f prism`).
import { execFileSync } from "node:child_process";

let found = "";
try {
  found = execFileSync("pgrep", ["-af", "prism-cli/dist/index.js"], { encoding: "utf8" }).trim();
} catch {
  // pgrep exits 1 when nothing matches.
}
if (found) {
  console.error(`Prism processes left behind:\n${found}`);
  process.exit(1);
}
console.log("no Prism process left behind");
