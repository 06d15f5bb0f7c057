#!/usr/bin/env node
// The repository's scripts need Node 22.13 or newer (node:sqlite): one line and exit 2 on an older one.
// Plain JavaScript that any Node can run, so that an old Node gets this line, not a syntax error.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `cskit's scripts need Node.js 22.13 or newer, 24 or 26 (for its built-in SQLite); this is Node.js ${process.versions.node}\n`,
  );
  process.exit(2);
}
