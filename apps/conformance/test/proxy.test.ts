// Proxy mode, tested against local stateful fakes behind `prism proxy --errors`: requests and real
// responses are both validated against our specs.
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { CskitError } from "@cskit/http";
import type { TestServer } from "@cskit/http/testing";
import { type RunningPrism, specPath, startPrism } from "@cskit/prism";
import { afterAll, describe, expect, it } from "vitest";
import { type Break, startApideckFake, startDeskeroFake } from "../src/fakes.js";
import { apideckFlow, deskeroFlow } from "../src/flow.js";
import { createRecorder } from "../src/recorder.js";

const running: (TestServer | RunningPrism)[] = [];
afterAll(() => Promise.all(running.map((r) => ("stop" in r ? r.stop() : r.close()))));

async function proxied(api: "apideck" | "deskero", breaks?: Break) {
  const fake = await (api === "apideck" ? startApideckFake(breaks) : startDeskeroFake(breaks));
  running.push(fake);
  const proxy = await startPrism(specPath(api), { mode: "proxy", upstream: fake.url, errors: true });
  running.push(proxy);
  return { url: proxy.url, recorder: createRecorder(api) };
}

async function apideck(breaks?: Break) {
  const { url, recorder } = await proxied("apideck", breaks);
  const cs = createApideckCustomerSupport({
    apiKey: "k",
    appId: "a",
    consumerId: "c",
    baseUrl: url,
    fetch: recorder.fetch,
    retry: false,
  });
  return { cs, recorder };
}

async function deskero(breaks?: Break) {
  const { url, recorder } = await proxied("deskero", breaks);
  const dk = createDeskeroClient({
    clientId: "client",
    apiToken: btoa("client:secret"),
    baseUrl: url,
    fetch: recorder.fetch,
    retry: false,
  });
  return { dk, recorder };
}

const violations = (recorder: ReturnType<typeof createRecorder>) =>
  recorder.exchanges.flatMap((e) => e.violations);

describe("proxy mode against stateful fakes", () => {
  it("apideck: create, get, update, get, delete, get gives not-found; every answer conforms", async () => {
    const { cs, recorder } = await apideck();
    await apideckFlow(cs);
    expect(recorder.exchanges.map((e) => `${e.operationId} ${e.status}`)).toEqual([
      "customersAdd 201",
      "customersOne 200",
      "customersUpdate 200",
      "customersOne 200",
      "customersDelete 200",
      "customersOne 404",
    ]);
    expect(violations(recorder)).toEqual([]);
  });

  it("deskero: token, create, get, search, update, get, delete, get gives 204; every answer conforms", async () => {
    const { dk, recorder } = await deskero();
    await deskeroFlow(dk);
    expect(recorder.exchanges.map((e) => `${e.operationId} ${e.status}`)).toEqual([
      "getAccessToken 200",
      "insertCustomer 201",
      "getCustomer 200",
      "listCustomers 200",
      "updateCustomer 200",
      "getCustomer 200",
      "deleteCustomer 200",
      "getCustomer 204",
    ]);
    expect(violations(recorder)).toEqual([]);
  });
});

describe("proxy mode catches an upstream that breaks the spec", () => {
  it.each([
    ["wrong-type", "/data/id Response body property data.id must be string (response body)"],
    ["missing-envelope-field", "/ Response body must have required property 'service' (response body)"],
  ] as const)("apideck %s: the call fails and the violation is named", async (breaks, expected) => {
    const { cs, recorder } = await apideck(breaks);
    const { id } = await cs.customers.create({ first_name: "Ada" });
    const error = await cs.customers.get(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CskitError);
    expect((error as CskitError).status).toBe(500);
    expect(violations(recorder)).toContain(expected);
  });

  it.each([
    ["wrong-type", "/birthDate Response body property birthDate must be integer,null (response body)"],
    ["missing-envelope-field", "/ Response body must have required property 'id' (response body)"],
  ] as const)("deskero %s: the call fails and the violation is named", async (breaks, expected) => {
    const { dk, recorder } = await deskero(breaks);
    const { id } = await dk.customers.create({ name: "Ada" });
    await expect(dk.customers.get(id)).rejects.toMatchObject({ status: 500 });
    expect(violations(recorder)).toContain(expected);
  });

  it("an enum value the vendor added later is not a violation (open enums)", async () => {
    const a = await apideck("unknown-enum");
    const { id } = await a.cs.customers.create({ first_name: "Ada" });
    expect((await a.cs.customers.get(id)).data).toMatchObject({ status: "suspended", currency: "XCG" });
    const d = await deskero("unknown-enum");
    const created = await d.dk.customers.create({ name: "Ada" });
    expect((await d.dk.customers.get(created.id)).language).toBe("de");
    expect([...violations(a.recorder), ...violations(d.recorder)]).toEqual([]);
  });
});
