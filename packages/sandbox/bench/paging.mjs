// Cost of one list page at 10k and 100k customers, side by side: `node --expose-gc bench/paging.mjs` after a build.
// O(page) paging gives a ratio near 1; O(n) per request would give about 10.
import { performance } from "node:perf_hooks";
import { createSandbox } from "../dist/index.js";

const PAGES = 2000;
const apideckHeaders = { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" };
const deskeroHeaders = { authorization: "Bearer k", clientid: "c" };

/** Median ms per page over `PAGES` pages read in order, restarting at the top when the list ends. */
async function perPage(api, customers) {
  const sandbox = createSandbox(api, { customers, seed: 1 });
  const times = [];
  let cursor = null;
  for (let i = 0; i < PAGES; i++) {
    const url =
      api === "apideck"
        ? `/customer-support/customers?limit=20${cursor ? `&cursor=${cursor}` : ""}`
        : `/customer/list?page=${(i % (customers / 25)) + 1}`;
    const headers = api === "apideck" ? apideckHeaders : deskeroHeaders;
    const t0 = performance.now();
    const { answer } = await sandbox.handle({ method: "GET", url, headers, body: "" });
    times.push(performance.now() - t0);
    if (api === "apideck") cursor = JSON.parse(answer.body).meta.cursors.next;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

console.log("| API | ms per page, 10k | ms per page, 100k | ratio |\n|---|---|---|---|");
for (const api of ["apideck", "deskero"]) {
  const small = await perPage(api, 10_000);
  const large = await perPage(api, 100_000);
  console.log(`| ${api} | ${small.toFixed(3)} | ${large.toFixed(3)} | ${(large / small).toFixed(2)}x |`);
}

// Seeding 100k customers: time and heap held (exact with `node --expose-gc`).
console.log("\n| API | seed 100k customers, ms | heap held, MB |\n|---|---|---|");
for (const api of ["apideck", "deskero"]) {
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const sandbox = createSandbox(api, { customers: 100_000, seed: 1 });
  const ms = performance.now() - t0;
  globalThis.gc?.();
  const mb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  console.log(`| ${api} | ${ms.toFixed(0)} | ${mb.toFixed(0)} (${sandbox.size()} customers) |`);
}
