// Proxy mode, tested against local stateful fakes behind `prism proxy --errors`: requests and real
// responses are both validated against our specs, by Prism and by our own checks.
import { CskitError } from "@cskit/http";
import type { TestServer } from "@cskit/http/testing";
import { type RunningPrism, specPath, startPrism } from "@cskit/prism";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createClients } from "../src/clients.js";
import { type Break, type Fake, startFake } from "../src/fakes.js";
import { createRecorder } from "../src/recorder.js";
import { CHECK_CLASSES, failuresOf, record } from "../src/report.js";
import { checkServer } from "../src/suite.js";

const SEED = 20_261_124;
const running: (TestServer | RunningPrism)[] = [];
afterAll(() => Promise.all(running.map((r) => ("stop" in r ? r.stop() : r.close()))));

const proxies = new Map<string, Promise<{ fake: Fake; url: string }>>();
/** One fake and one prism proxy per API for the file; each case sets how the fake breaks. */
async function proxied(api: "apideck" | "deskero", breaks?: Break) {
  let started = proxies.get(api);
  if (!started) {
    started = (async () => {
      const fake = await startFake(api);
      running.push(fake);
      const proxy = await startPrism(specPath(api), { mode: "proxy", upstream: fake.url, errors: true });
      running.push(proxy);
      return { fake, url: proxy.url };
    })();
    proxies.set(api, started);
  }
  const { fake, url } = await started;
  fake.setBreak(breaks);
  const proxy = { url };
  const recorders = { apideck: createRecorder("apideck"), deskero: createRecorder("deskero") };
  const clients = createClients({ apideck: proxy.url, deskero: proxy.url }, recorders);
  return { url: proxy.url, clients, recorder: recorders[api] };
}

const violations = (recorder: ReturnType<typeof createRecorder>) =>
  recorder.exchanges.flatMap((e) => e.violations);

describe("proxy mode against stateful fakes", () => {
  it.each(["apideck", "deskero"] as const)(
    "%s: every check class passes through prism proxy",
    async (api) => {
      const { url } = await proxied(api);
      const results = await checkServer(api, url, { mode: "proxy", numRuns: 10, seed: SEED });
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
