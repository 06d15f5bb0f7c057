// Proxy mode, tested against @cskit/sandbox behind `prism proxy --errors`: requests and real
// responses are both validated against our specs, by Prism and by our own checks.
import { CskitError } from "@cskit/http";
import { type RunningPrism, specPath, startPrism } from "@cskit/prism";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createClients } from "../src/clients.js";
import { createRecorder } from "../src/recorder.js";
import { CHECK_CLASSES, failuresOf, record } from "../src/report.js";
import { type Break, type SuiteSandbox, startSuiteSandbox } from "../src/sandboxes.js";
import { checkServer } from "../src/suite.js";

const SEED = 20_261_124;
const running: (SuiteSandbox | RunningPrism)[] = [];
afterAll(() => Promise.all(running.map((r) => r.stop())));

const proxies = new Map<string, Promise<{ sandbox: SuiteSandbox; url: string }>>();
/** One sandbox and one prism proxy per API for the file; each case sets how the sandbox breaks. */
async function proxied(api: "apideck" | "deskero", breaks?: Break) {
  let started = proxies.get(api);
  if (!started) {
    started = (async () => {
      const sandbox = await startSuiteSandbox(api);
      running.push(sandbox);
      const proxy = await startPrism(specPath(api), { mode: "proxy", upstream: sandbox.url, errors: true });
      running.push(proxy);
      return { sandbox, url: proxy.url };
    })();
    proxies.set(api, started);
  }
  const { sandbox, url } = await started;
  sandbox.setBreak(breaks);
  const proxy = { url };
  const recorders = { apideck: createRecorder("apideck"), deskero: createRecorder("deskero") };
  const clients = createClients({ apideck: proxy.url, deskero: proxy.url }, recorders);
  return { url: proxy.url, clients, recorder: recorders[api] };
}

const violations = (recorder: ReturnType<typeof createRecorder>) =>
  recorder.exchanges.flatMap((e) => e.violations);

describe("proxy mode against @cskit/sandbox", () => {
  it.each(["apideck", "deskero"] as const)(
    "%s: every check class passes through prism proxy",
    async (api) => {
      const { url } = await proxied(api);
      // The sandbox takes any credentials: a wrong one is no failure here.
      const options = { mode: "proxy", numRuns: 10, seed: SEED, checkCredentialValues: false } as const;
      const results = await checkServer(api, url, options);
      record(inject("reportDir"), results);
      expect(failuresOf(results)).toEqual([]);
      expect(new Set(results.map((r) => r.check))).toEqual(new Set(CHECK_CLASSES));
    },
  );
});

describe("proxy mode catches an upstream that breaks the spec", () => {
  it.each([
    ["wrong-type", "/data/id Response body property data.id must be string (response body)"],
    ["missing-envelope-field", "/ Response body must have required property 'service' (response body)"],
  ] as const)("apideck %s: the call fails and the violation is named", async (breaks, expected) => {
    const { clients, recorder } = await proxied("apideck", breaks);
    const { id } = await clients.apideck.customers.create({ first_name: "Ada" });
    const error = await clients.apideck.customers.get(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CskitError);
    expect((error as CskitError).status).toBe(500);
    expect(violations(recorder)).toContain(expected);
  });

  it.each([
    ["wrong-type", "/birthDate Response body property birthDate must be integer,null (response body)"],
    ["missing-envelope-field", "/ Response body must have required property 'id' (response body)"],
  ] as const)("deskero %s: the call fails and the violation is named", async (breaks, expected) => {
    const { clients, recorder } = await proxied("deskero", breaks);
    const { id } = await clients.deskero.customers.create({ name: "Ada" });
    await expect(clients.deskero.customers.get(id)).rejects.toMatchObject({ status: 500 });
    expect(violations(recorder)).toContain(expected);
  });

  it("an enum value the vendor added later is not a violation (open enums)", async () => {
    const a = await proxied("apideck", "unknown-enum");
    const { id } = await a.clients.apideck.customers.create({ first_name: "Ada" });
    expect((await a.clients.apideck.customers.get(id)).data).toMatchObject({
      status: "suspended",
      currency: "XQQ",
    });
    const d = await proxied("deskero", "unknown-enum");
    const created = await d.clients.deskero.customers.create({ name: "Ada" });
    expect((await d.clients.deskero.customers.get(created.id)).language).toBe("de");
    expect([...violations(a.recorder), ...violations(d.recorder)]).toEqual([]);
  });
});
