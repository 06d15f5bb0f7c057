#!/usr/bin/env node
// Serves the built site on 127.0.0.1: for the browser test, and `pnpm docs:serve` to preview it.
//   node apps/docs/src/serve.mjs [--port 4000]
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SITE } from "./site.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** The file a URL path names inside root (a folder's index.html), or undefined outside root or missing. */
export function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(new URL(urlPath, "http://x").pathname);
  } catch {
    return undefined;
  }
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  try {
    const stat = statSync(file);
    if (stat.isDirectory())
      return statSync(join(file, "index.html")).isFile() ? join(file, "index.html") : undefined;
    return stat.isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a static server of `root` on 127.0.0.1 (port 0: a free one); resolves to its URL and a stop(). */
export function serveSite(root = SITE, port = 0) {
  const server = createServer((request, response) => {
    const file =
      request.method === "GET" || request.method === "HEAD" ? fileFor(root, request.url ?? "/") : undefined;
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      resolve({
        url: `http://127.0.0.1:${bound}/`,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "4000" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`docs:serve: --port must be a number from 0 to 65535, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  try {
    statSync(join(SITE, "index.html"));
  } catch {
    console.error("docs:serve: no site/index.html; run `pnpm docs:build` first");
    process.exit(2);
  }
  const { url } = await serveSite(SITE, port).catch((error) => {
    console.error(`docs:serve: cannot listen on 127.0.0.1:${port} (${error.code ?? error.message})`);
    process.exit(1);
  });
  console.log(`cskit docs on ${url} (Ctrl-C to stop)`);
}
