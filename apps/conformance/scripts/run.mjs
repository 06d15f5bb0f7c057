#!/usr/bin/env node
// pnpm conformance                                  the whole suite against Prism mocks of our specs
// pnpm conformance -- --target apideck=https://unify.apideck.com [--target deskero=https://api.deskero.com]
//                                                   the check classes that are safe on a live API: the
//                                                   stateful flow through `prism proxy --errors` (requests
//                                                   and real responses validated against our specs), and
//                                                   auth, required-header and negative-data requests
//                                                   sent to the API itself
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { specPath, startPrism, stopAll } from "@cskit/prism";

const APIS = ["apideck", "deskero"];
const here = dirname(fileURLToPath(import.meta.url));
const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

function usage(message) {
  console.error(`conformance: ${message}\nusage: pnpm conformance [-- --target <apideck|deskero>=<url> ...]`);
  process.exit(2);
}

const targets = {};
const passThrough = [];
const args = process.argv.slice(2).filter((a) => a !== "--");
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = arg === "--target" ? args[++i] : arg.startsWith("--target=") ? arg.slice(9) : undefined;
  if (value === undefined) {
    passThrough.push(arg);
    continue;
  }
  const at = value.indexOf("=");
  const api = value.slice(0, at);
  if (at < 0 || !APIS.includes(api))
    usage(`--target must be apideck=<url> or deskero=<url>, got ${JSON.stringify(value)}`);
  try {
    new URL(value.slice(at + 1));
  } catch {
    usage(`--target ${api}: not a URL: ${JSON.stringify(value.slice(at + 1))}`);
  }
  targets[api] = value.slice(at + 1);
}

const env = { ...process.env, DO_NOT_TRACK: "1" };
const files = [];
if (Object.keys(targets).length > 0) {
  env.CSKIT_LIVE = "1";
  for (const [api, upstream] of Object.entries(targets)) {
    const proxy = await startPrism(specPath(api), { mode: "proxy", upstream, errors: true });
    env[`CSKIT_LIVE_${api.toUpperCase()}_URL`] = proxy.url;
    env[`CSKIT_LIVE_${api.toUpperCase()}_TARGET`] = upstream;
    console.log(`conformance: ${api} -> prism proxy ${proxy.url} -> ${upstream}`);
  }
  files.push("test/live.test.ts");
}

const child = spawn(process.execPath, [vitest, "run", ...files, ...passThrough], {
  cwd: join(here, ".."),
  env,
  stdio: "inherit",
});
const stop = (signal) => {
  child.kill(signal);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
const code = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 130 : 1))));
await stopAll();
process.exit(code);
