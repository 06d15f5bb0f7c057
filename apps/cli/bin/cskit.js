#!/usr/bin/env node
// The cskit command. It checks the Node version, then runs the built CLI, or says how to build it.
// Plain JavaScript that any Node can parse: an old Node gets one line, not a syntax error.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `cskit needs Node.js 22.13 or newer, 24 or 26 (for its built-in SQLite); this is Node.js ${process.versions.node}\n`,
  );
  process.exit(2);
}

// Node 22 marks node:sqlite experimental and warns on its first use; the state store relies on
// its stable subset, so the CLI does not pass that warning on. Every other warning still shows.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === "string" ? rest[0] : rest[0]?.type;
  if (type === "ExperimentalWarning" && String(warning?.message ?? warning).startsWith("SQLite ")) return;
  return emitWarning.call(process, warning, ...rest);
};

const entry = new URL("../dist/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("cskit is not built yet: run `pnpm install && pnpm build` at the repository root.\n");
  process.exit(1);
}
// @cskit/http first: it can tell Node's own fetch dispatchers from a user's only if it sees them
// before anything else makes Node create them (importing node:http does), and then sends through
// node:http; otherwise every call goes through fetch (see @cskit/http's "How calls go out").
await import("@cskit/http");
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
