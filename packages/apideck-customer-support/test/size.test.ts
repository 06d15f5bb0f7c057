// Size budget: a program that lists customers, bundled and minified, stays small. 9 KB since the
// hardening of issue 9 (whole-answer timeout, body cap, redirect refusal, redaction of server
// strings, shape checks), which added about 2.4 KB gzip to each client; it was 6 KB before. 11 KB
// since issue 16: the traffic policy (holds after a 429, requests in flight, rate) and reading
// pages ahead added about 1.7 KB. 12 KB since the node:http sender (a third of fetch's CPU per
// call on Node) added about 1.3 KB. 13.5 KB since issue 23: one sender seam (the encoding list,
// the request checks), the whole-call budget with RateLimitError, and a traffic policy that tells
// random 429s from a rate added about 1.1 KB; the Node sender (node:http, since then undici's dispatcher) stays out of this bundle.
// 14 KB since a 429 cannot teach a rate below what the server accepted right after it
// (AcceptedAfter, about 0.4 KB).
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";

const BUDGET_GZ_BYTES = 14 * 1024;

it(`bundles a list call in at most ${BUDGET_GZ_BYTES} bytes gzip`, async () => {
  const program = `
    import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
    const cs = createApideckCustomerSupport({ apiKey: "k", appId: "a", consumerId: "c" });
    console.log(await cs.customers.list({ limit: 10 }));
  `;
  const result = await build({
    stdin: { contents: program, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
  });
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`apideck list program: ${bytes.length} B minified, ${gz} B gzip (budget ${BUDGET_GZ_BYTES})`);
  expect(gz).toBeGreaterThan(1000); // openapi-fetch alone is ~2.7 KB: a tiny number means a broken bundle
  expect(gz).toBeLessThanOrEqual(BUDGET_GZ_BYTES);
});
