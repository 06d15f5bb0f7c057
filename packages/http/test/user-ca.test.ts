// A private CA the user adds the way Node documents (NODE_EXTRA_CA_CERTS, read as Node starts) is
// trusted by both senders; without it the same server is refused. A real HTTPS server with a
// certificate made by openssl, and a fresh Node process per case against the built package.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dist = join(import.meta.dirname, "..", "dist");
const url = (file: string) => JSON.stringify(pathToFileURL(join(dist, file)).href);
const dir = mkdtempSync(join(tmpdir(), "cskit-ca-"));
const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
let server: https.Server;
let port = 0;

beforeAll(async () => {
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1"].concat([
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ]),
    { stdio: "ignore" },
  );
  server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
    res.end("{}"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What one call gives in a fresh Node process with `env`, for each sender: a status or an error name. */
async function callWith(env: Record<string, string>): Promise<Record<string, string>> {
  const program = `
    const { createTransport } = await import(${url("transport.js")});
    const { Redactor } = await import(${url("redact.js")});
    const { PlainRequest } = await import(${url("plain-request.js")});
    const out = {};
    for (const sender of ["auto", "fetch"]) {
      const send = createTransport({ redactor: new Redactor([]), sender, retry: false });
      out[sender] = await send(new PlainRequest("https://127.0.0.1:${port}/x"))
        .then((r) => String(r.status), (e) => e.name);
    }
    console.log(JSON.stringify(out));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", program], {
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout);
}

describe("a CA of the user's own", () => {
  it("is refused by default: the certificate is not one Node trusts", { timeout: 30_000 }, async () => {
    expect(await callWith({})).toEqual({ auto: "ConnectionError", fetch: "ConnectionError" });
  });

  it("is trusted by both senders when added through NODE_EXTRA_CA_CERTS", { timeout: 30_000 }, async () => {
    expect(await callWith({ NODE_EXTRA_CA_CERTS: cert })).toEqual({ auto: "200", fetch: "200" });
  });
});
