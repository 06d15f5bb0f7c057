// The sandboxes' own rules, checked with raw requests (in-process through `sandbox.fetch`, or on a
// real socket), where Prism would refuse the request before the sandbox sees it.
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { describe, expect, it } from "vitest";
import {
  copiesOf,
  createSandbox,
  IN_PROCESS_URL,
  SANDBOX_CREDENTIALS,
  type Sandbox,
  startSandbox,
} from "../src/index.js";

const APIDECK_AUTH = { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" };
const CUSTOMERS = "/customer-support/customers";

async function call(sandbox: Sandbox, path: string, init: RequestInit = {}) {
  const response = await sandbox.fetch(`${IN_PROCESS_URL}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function deskeroToken(sandbox: Sandbox): Promise<{ authorization: string; clientId: string }> {
  const { body } = await call(sandbox, "/oauth/token?grant_type=client_credentials", {
    headers: { authorization: "Basic anything" },
  });
  return { authorization: `Bearer ${body.access_token}`, clientId: "client" };
}

const ids = (sandbox: Sandbox) => [...sandbox.records()].map((r) => r.id);

describe("seeding", () => {
  it("holds 100 customers by default", () => {
    expect(createSandbox("apideck").size()).toBe(100);
    expect(createSandbox("deskero").size()).toBe(100);
  });

  it("the same seed gives the same customers, another seed others, and a smaller count a prefix", () => {
    for (const api of ["apideck", "deskero"] as const) {
      const a = [...createSandbox(api, { customers: 200, seed: 42 }).records()];
      const b = [...createSandbox(api, { customers: 200, seed: 42 }).records()];
      const c = [...createSandbox(api, { customers: 200, seed: 43 }).records()];
      const prefix = [...createSandbox(api, { customers: 50, seed: 42 }).records()];
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
      expect(prefix).toEqual(a.slice(0, 50));
      expect(new Set(a.map((r) => r.id)).size).toBe(200);
    }
  });

  it("ids of created customers are deterministic too", async () => {
    const created = async () => {
      const sandbox = createSandbox("deskero", { customers: 3, seed: 5 });
      const auth = await deskeroToken(sandbox);
      const answer = await call(sandbox, "/customer/insert", { method: "POST", headers: auth, body: "{}" });
      return answer.body.id as string;
    };
    expect(await created()).toBe(await created());
  });

  it("generates realistic, well-formed Apideck customers", () => {
    const records = [...createSandbox("apideck", { customers: 500, seed: 3 }).records()] as {
      first_name: string;
      last_name: string;
      emails: { email: string; type: string }[];
      phone_numbers: { number: string; type: string }[];
      addresses: { country: string; city: string; line1: string; postal_code: string }[];
      company_name: string | null;
      individual: boolean;
      created_at: string;
      updated_at: string;
    }[];
    const emails = records.map((r) => r.emails[0]?.email);
    expect(new Set(emails).size).toBe(records.length);
    for (const r of records) {
      expect(r.first_name).toMatch(/^\p{L}+$/u);
      expect(r.last_name).toMatch(/^\p{L}[\p{L} ]*$/u);
      expect(r.emails[0]).toMatchObject({
        type: "primary",
        email: expect.stringMatching(/^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/),
      });
      expect(r.phone_numbers[0]).toMatchObject({
        type: "primary",
        number: expect.stringMatching(/^[0-9 -]{7,}$/),
      });
      expect(r.addresses[0]?.country).toMatch(/^[A-Z]{2}$/);
      expect(r.addresses[0]?.postal_code).toMatch(/^[A-Z0-9 ]{3,8}$/);
      expect(r.individual).toBe(r.company_name === null);
      expect(Date.parse(r.updated_at)).toBeGreaterThanOrEqual(Date.parse(r.created_at));
    }
    // A mix, not one template repeated.
    expect(new Set(records.map((r) => r.addresses[0]?.country)).size).toBeGreaterThanOrEqual(5);
    expect(records.filter((r) => r.company_name).length).toBeGreaterThan(100);
    expect(records.filter((r) => !r.company_name).length).toBeGreaterThan(100);
  });

  it("generates Deskero customers with every field, the country as a code and the same people for the same seed", () => {
    const deskero = [...createSandbox("deskero", { customers: 100, seed: 9 }).records()] as {
      [key: string]: unknown;
    }[];
    const apideck = [...createSandbox("apideck", { customers: 100, seed: 9 }).records()] as {
      first_name: string;
      last_name: string;
      emails: { email: string }[];
    }[];
    for (const [i, r] of deskero.entries()) {
      expect(Object.keys(r)).toHaveLength(32);
      expect(r.id).toMatch(/^[0-9a-f]{24}$/);
      expect(r.state).toMatch(/^[A-Z]{2}$/);
      expect(["en", "it", "es", "fr"]).toContain(r.language);
      expect(r.name).toBe(`${apideck[i]?.first_name} ${apideck[i]?.last_name}`);
      expect(r.email).toBe(apideck[i]?.emails[0]?.email);
    }
  });
});

describe("apideck rules", () => {
  it("answers 401 with an UnauthorizedError body when the Bearer token, app id or consumer id is missing", async () => {
    const sandbox = createSandbox("apideck", { customers: 1 });
    for (const drop of ["authorization", "x-apideck-app-id", "x-apideck-consumer-id"] as const) {
      const headers: { [name: string]: string } = { ...APIDECK_AUTH };
      delete headers[drop];
      const answer = await call(sandbox, CUSTOMERS, { headers });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status_code: 401, type_name: "UnauthorizedError" });
      expect(answer.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    const empty = await call(sandbox, CUSTOMERS, { headers: { ...APIDECK_AUTH, authorization: "Bearer " } });
    expect(empty.status).toBe(401);
    expect((await call(sandbox, CUSTOMERS, { headers: APIDECK_AUTH })).status).toBe(200);
  });

  it("answers 404 with the documented EntityNotFoundError body", async () => {
    const sandbox = createSandbox("apideck", { customers: 1 });
    const answer = await call(sandbox, `${CUSTOMERS}/nope`, { headers: APIDECK_AUTH });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      status_code: 404,
      error: "Not Found",
      type_name: "EntityNotFoundError",
      message: "Unknown Customer",
      detail: "Could not find customer with id: 'nope'",
      ref: "https://developers.apideck.com/errors#entitynotfounderror",
    });
    const malformed = await call(sandbox, `${CUSTOMERS}/%E0%A4%A`, { headers: APIDECK_AUTH });
    expect(malformed.status).toBe(404);
    expect(malformed.body.detail).toBe("Could not find customer with id: '%E0%A4%A'");
    for (const method of ["PATCH", "DELETE"]) {
      const write = await call(sandbox, `${CUSTOMERS}/nope`, {
        method,
        headers: APIDECK_AUTH,
        body: method === "PATCH" ? "{}" : null,
      });
      expect(write.status).toBe(404);
    }
  });

  it("refuses a limit outside 1..200 and a cursor it did not give out", async () => {
    const sandbox = createSandbox("apideck", { customers: 300 });
    for (const limit of ["0", "201", "abc", "-1"]) {
      const answer = await call(sandbox, `${CUSTOMERS}?limit=${limit}`, { headers: APIDECK_AUTH });
      expect(answer.status).toBe(400);
      expect(answer.body.type_name).toBe("RequestValidationError");
    }
    const full = await call(sandbox, `${CUSTOMERS}?limit=200`, { headers: APIDECK_AUTH });
    expect(full.body.data).toHaveLength(200);
    const bad = await call(sandbox, `${CUSTOMERS}?cursor=not-a-cursor`, { headers: APIDECK_AUTH });
    expect(bad.status).toBe(400);
    expect(bad.body.type_name).toBe("InvalidCursorError");
  });

  it("keeps cursors valid across deletes: the rest of the list is seen once, nothing skipped", async () => {
    const sandbox = createSandbox("apideck", { customers: 100 });
    const all = ids(sandbox);
    const first = await call(sandbox, `${CUSTOMERS}?limit=10`, { headers: APIDECK_AUTH });
    // Delete the next page's first customer and one later on, then follow the cursor.
    for (const id of [all[10], all[50]])
      await call(sandbox, `${CUSTOMERS}/${id}`, { method: "DELETE", headers: APIDECK_AUTH });
    const seen: string[] = first.body.data.map((c: { id: string }) => c.id);
    let cursor: string | null = first.body.meta.cursors.next;
    while (cursor) {
      const page = await call(sandbox, `${CUSTOMERS}?limit=10&cursor=${cursor}`, { headers: APIDECK_AUTH });
      seen.push(...page.body.data.map((c: { id: string }) => c.id));
      cursor = page.body.meta.cursors.next;
    }
    expect(seen).toEqual(all.filter((id) => id !== all[10] && id !== all[50]));
  });

  it("gives a previous cursor that leads back to the page before (null on the first page)", async () => {
    const sandbox = createSandbox("apideck", { customers: 100 });
    const get = (query: string) => call(sandbox, `${CUSTOMERS}?limit=10${query}`, { headers: APIDECK_AUTH });
    const pageIds = (page: { body: { data: { id: string }[] } }) => page.body.data.map((c) => c.id);
    const first = await get("");
    expect(first.body.meta.cursors.previous).toBeNull();
    expect(first.body.links.previous).toBeNull();
    const second = await get(`&cursor=${first.body.meta.cursors.next}`);
    const third = await get(`&cursor=${second.body.meta.cursors.next}`);
    expect(pageIds(await get(`&cursor=${third.body.meta.cursors.previous}`))).toEqual(pageIds(second));
    expect(pageIds(await get(`&cursor=${second.body.meta.cursors.previous}`))).toEqual(pageIds(first));
    expect(third.body.links.previous).toContain(`cursor=${third.body.meta.cursors.previous}`);
  });

  it("refuses an unknown field on create with a RequestValidationError, creating nothing", async () => {
    const sandbox = createSandbox("apideck", { customers: 0 });
    const answer = await call(sandbox, CUSTOMERS, {
      method: "POST",
      headers: APIDECK_AUTH,
      body: '{"nickname":"x"}',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      type_name: "RequestValidationError",
      detail: "Unknown property nickname",
    });
    const broken = await call(sandbox, CUSTOMERS, { method: "POST", headers: APIDECK_AUTH, body: "{" });
    expect(broken.status).toBe(400);
    expect(sandbox.size()).toBe(0);
  });

  it("dedupes creates per X-Unique-Transaction-ID: the same key returns the first answer", async () => {
    const sandbox = createSandbox("apideck", { customers: 0 });
    const post = (key: string, name: string) =>
      call(sandbox, CUSTOMERS, {
        method: "POST",
        headers: { ...APIDECK_AUTH, "x-unique-transaction-id": key },
        body: JSON.stringify({ first_name: name }),
      });
    const first = await post("k", "A");
    const again = await post("k", "B");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("request-id")).not.toBe(first.headers.get("request-id"));
    expect(sandbox.size()).toBe(1);
    await post("other", "C");
    expect(sandbox.size()).toBe(2);
  });

  it("tunnels a method through _method", async () => {
    const sandbox = createSandbox("apideck", { customers: 1 });
    const [id] = ids(sandbox);
    const answer = await call(sandbox, `${CUSTOMERS}/${id}?_method=PATCH`, {
      method: "POST",
      headers: APIDECK_AUTH,
      body: '{"notes":"tunneled"}',
    });
    expect(answer.body.operation).toBe("update");
    expect((sandbox.records().next().value as { notes: string }).notes).toBe("tunneled");
  });
});

describe("deskero rules", () => {
  it("issues a bearer token for any Basic token, and refuses the exchange without one", async () => {
    const sandbox = createSandbox("deskero", { customers: 0 });
    const ok = await call(sandbox, "/oauth/token?grant_type=client_credentials", {
      headers: { authorization: "Basic x" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      access_token: expect.any(String),
      token_type: "bearer",
      expires_in: 43199,
    });
    expect((await call(sandbox, "/oauth/token?grant_type=client_credentials")).status).toBe(401);
    const grant = await call(sandbox, "/oauth/token?grant_type=password", {
      headers: { authorization: "Basic x" },
    });
    expect(grant.status).toBe(400);
  });

  it("needs a Bearer token and a clientId on customer calls, and refuses an expired token", async () => {
    const sandbox = createSandbox("deskero", { customers: 1, tokenExpiresIn: 0 });
    expect((await call(sandbox, "/customer/list", { headers: { clientId: "c" } })).status).toBe(401);
    expect((await call(sandbox, "/customer/list", { headers: { authorization: "Bearer t" } })).status).toBe(
      400,
    );
    expect(
      (await call(sandbox, "/customer/list", { headers: { authorization: "Bearer t", clientId: "c" } }))
        .status,
    ).toBe(200);
    const expired = await deskeroToken(sandbox);
    const refused = await call(sandbox, "/customer/list", { headers: expired });
    expect(refused.status).toBe(401);
    expect(refused.body.error_description).toBe("Access token expired");
  });

  it("answers 204 for an unknown id, an empty list, and a page past the end", async () => {
    const empty = createSandbox("deskero", { customers: 0 });
    const auth = await deskeroToken(empty);
    expect((await call(empty, "/customer/list", { headers: auth })).status).toBe(204);
    expect((await call(empty, "/customer/abc", { headers: auth })).status).toBe(204);
    expect((await call(empty, "/customer/%E0%A4%A", { headers: auth })).status).toBe(204);
    const some = createSandbox("deskero", { customers: 30 });
    expect((await call(some, "/customer/list?page=2", { headers: auth })).body.customer.records).toHaveLength(
      5,
    );
    expect((await call(some, "/customer/list?page=3", { headers: auth })).status).toBe(204);
  });

  it("answers 400 for an unknown field name, in a search and in a write", async () => {
    const sandbox = createSandbox("deskero", { customers: 5 });
    const auth = await deskeroToken(sandbox);
    const search = await call(sandbox, "/customer/list?nickname=x", { headers: auth });
    expect(search.status).toBe(400);
    expect(search.body.error_description).toContain("nickname");
    const insert = await call(sandbox, "/customer/insert", {
      method: "POST",
      headers: auth,
      body: '{"nickname":"x"}',
    });
    expect(insert.status).toBe(400);
    const [id] = ids(sandbox);
    const update = await call(sandbox, `/customer/update/${id}`, {
      method: "PUT",
      headers: auth,
      body: '{"nick":"x"}',
    });
    expect(update.status).toBe(400);
    expect(sandbox.size()).toBe(5);
  });

  it("inserts (201 {id}), updates with PUT (merging), deletes, and searches by exact field value", async () => {
    const sandbox = createSandbox("deskero", { customers: 60 });
    const auth = await deskeroToken(sandbox);
    const created = await call(sandbox, "/customer/insert", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "Frank Elvgren", city: "London", id: "ignored" }),
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(["id"]);
    const id = created.body.id as string;
    expect(id).not.toBe("ignored");
    await call(sandbox, `/customer/update/${id}`, { method: "PUT", headers: auth, body: '{"memo":"m"}' });
    const got = await call(sandbox, `/customer/${id}`, { headers: auth });
    expect(got.body).toMatchObject({ id, name: "Frank Elvgren", city: "London", memo: "m", email: null });
    const found = await call(sandbox, "/customer/list?name=Frank%20Elvgren&city=London", { headers: auth });
    expect(found.body.customer.records.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await call(sandbox, `/customer/delete/${id}`, { method: "DELETE", headers: auth })).body).toEqual(
      { id },
    );
    expect((await call(sandbox, `/customer/${id}`, { headers: auth })).status).toBe(204);
    expect((await call(sandbox, `/customer/delete/${id}`, { method: "DELETE", headers: auth })).status).toBe(
      400,
    );
  });

  it("keeps the search in nextQuery", async () => {
    const sandbox = createSandbox("deskero", { customers: 400, seed: 2 });
    const auth = await deskeroToken(sandbox);
    const page = await call(sandbox, "/customer/list?state=US", { headers: auth });
    const next = new URL(page.body.customer.nextQuery);
    expect(next.origin).toBe(IN_PROCESS_URL);
    expect(Object.fromEntries(next.searchParams)).toEqual({ state: "US", page: "2" });
    expect(page.body.customer.records.every((c: { state: string }) => c.state === "US")).toBe(true);
  });
});

describe("deskero search paging", () => {
  it("pages through a search, each match once, and sees a write made in between", async () => {
    const sandbox = createSandbox("deskero", { customers: 400, seed: 2 });
    const dk = createDeskeroClient({
      ...SANDBOX_CREDENTIALS.deskero,
      baseUrl: IN_PROCESS_URL,
      fetch: sandbox.fetch,
    });
    const expected = ([...sandbox.records()] as { id: string; state: string }[])
      .filter((r) => r.state === "US")
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(50);
    const seen: string[] = [];
    for await (const c of dk.customers.iterate({ state: "US" })) seen.push(c.id);
    expect(seen).toEqual(expected);
    const before = (await dk.customers.search({ state: "US" })).totalRecords;
    await dk.customers.create({ name: "New Customer", state: "US" });
    expect((await dk.customers.search({ state: "US" })).totalRecords).toBe(before + 1);
  });
});

describe("a real socket", () => {
  it("sends Request-Id on every answer, 204 and errors included, and refuses a body over 1 MiB", async () => {
    const sandbox = await startSandbox("deskero", { customers: 0 });
    try {
      const answers = await Promise.all([
        fetch(`${sandbox.url}/oauth/token?grant_type=client_credentials`, {
          headers: { authorization: "Basic x" },
        }),
        fetch(`${sandbox.url}/customer/list`, { headers: { authorization: "Bearer x", clientId: "c" } }),
        fetch(`${sandbox.url}/customer/list`),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 204, 401]);
      for (const a of answers) expect(a.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const big = await fetch(`${sandbox.url}/customer/insert`, {
        method: "POST",
        headers: { authorization: "Bearer x", clientId: "c" },
        body: "x".repeat(1024 * 1024 + 1),
      });
      expect(big.status).toBe(413);
      expect(sandbox.size()).toBe(0);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("100,000 customers", () => {
  it("are each listed exactly once by both clients, in-process", async () => {
    const apideck = createSandbox("apideck", { customers: 100_000, seed: 11 });
    const cs = createApideckCustomerSupport({
      ...SANDBOX_CREDENTIALS.apideck,
      baseUrl: IN_PROCESS_URL,
      fetch: apideck.fetch,
    });
    const seen = new Set<string | undefined>();
    for await (const c of cs.customers.iterate({ limit: 200 })) seen.add(c.id);
    expect(seen.size).toBe(100_000);

    const deskero = createSandbox("deskero", { customers: 100_000, seed: 11 });
    const dk = createDeskeroClient({
      ...SANDBOX_CREDENTIALS.deskero,
      baseUrl: IN_PROCESS_URL,
      fetch: deskero.fetch,
    });
    seen.clear();
    for await (const c of dk.customers.iterate()) seen.add(c.id);
    expect(seen.size).toBe(100_000);
    expect(deskero.stats().requests).toBe(1 + 100_000 / 25);
  }, 600_000); // 200,000 records through two clients: minutes on a busy machine
});

describe("request validation against the spec's schemas", () => {
  const post = (body: unknown) => ({ method: "POST", headers: APIDECK_AUTH, body: JSON.stringify(body) });

  it("apideck: refuses a non-boolean raw or x-apideck-raw with a RequestValidationError, accepts true/false", async () => {
    const sandbox = createSandbox("apideck", { customers: 3 });
    const [id] = ids(sandbox);
    for (const [path, headers] of [
      [`${CUSTOMERS}?raw=maybe`, APIDECK_AUTH],
      [`${CUSTOMERS}/${id}?raw=1`, APIDECK_AUTH],
      [CUSTOMERS, { ...APIDECK_AUTH, "x-apideck-raw": "maybe" }],
    ] as const) {
      const answer = await call(sandbox, path, { headers });
      expect(answer.status, path).toBe(400);
      expect(answer.body).toMatchObject({ status_code: 400, type_name: "RequestValidationError" });
      expect(answer.body.detail).toMatch(/raw must be boolean/);
    }
    for (const raw of ["true", "false"]) {
      expect((await call(sandbox, `${CUSTOMERS}?raw=${raw}`, { headers: APIDECK_AUTH })).status).toBe(200);
      const headers = { ...APIDECK_AUTH, "x-apideck-raw": raw };
      expect((await call(sandbox, `${CUSTOMERS}/${id}`, { headers })).status).toBe(200);
    }
  });

  it("apideck: refuses a wrong-typed field, a phone number without number, and a bad enum; creates nothing", async () => {
    const sandbox = createSandbox("apideck", { customers: 0 });
    const cases: [unknown, RegExp][] = [
      [{ first_name: 12345 }, /^body\/first_name must be string/],
      [{ individual: "yes" }, /^body\/individual must be boolean/],
      [
        { phone_numbers: [{ type: "mobile" }] },
        /^body\/phone_numbers\/0 must have required property 'number'/,
      ],
      [{ status: "activ" }, /^body\/status must be equal to one of the allowed values/],
      [{ emails: [{ email: "x@example.com", nickname: 1 }] }, /^Unknown property emails\/0\/nickname$/],
    ];
    for (const [body, detail] of cases) {
      const answer = await call(sandbox, CUSTOMERS, post(body));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.type_name).toBe("RequestValidationError");
      expect(answer.body.detail).toMatch(detail);
    }
    expect(sandbox.size()).toBe(0);
    const ok = await call(sandbox, CUSTOMERS, post({ first_name: "Ada", phone_numbers: [{ number: "1" }] }));
    expect(ok.status).toBe(201);
    const update = await call(sandbox, `${CUSTOMERS}/${ok.body.data.id}`, {
      method: "PATCH",
      headers: APIDECK_AUTH,
      body: '{"last_name":false}',
    });
    expect(update.status).toBe(400);
    expect([...sandbox.records()][0]?.last_name).toBeUndefined();
  });

  it("deskero: refuses a wrong-typed field or a lower-case state in a write, and a page that is not an integer from 1", async () => {
    const sandbox = createSandbox("deskero", { customers: 5 });
    const auth = await deskeroToken(sandbox);
    for (const body of [{ name: 12345 }, { topClient: "yes" }, { state: "gb" }, { language: "xx" }]) {
      const insert = await call(sandbox, "/customer/insert", {
        method: "POST",
        headers: auth,
        body: JSON.stringify(body),
      });
      expect(insert.status, JSON.stringify(body)).toBe(400);
      expect(insert.body.error).toBe("bad_request");
    }
    const [id] = ids(sandbox);
    const update = await call(sandbox, `/customer/update/${id}`, {
      method: "PUT",
      headers: auth,
      body: '{"birthDate":"x"}',
    });
    expect(update.status).toBe(400);
    expect(update.body.error_description).toMatch(/^body\/birthDate must be integer,null/);
    for (const page of ["0", "-1", "1.5x", "abc"]) {
      const answer = await call(sandbox, `/customer/list?page=${page}`, { headers: auth });
      expect(answer.status, page).toBe(400);
      expect(answer.body.error_description).toMatch(/^page /);
    }
    expect(sandbox.size()).toBe(5);
  });

  it("deskero: a very large page, which the spec allows, is past the end: 204", async () => {
    const sandbox = createSandbox("deskero", { customers: 30 });
    const auth = await deskeroToken(sandbox);
    for (const page of ["1000000000", "9007199254740993", "99999999999999999999999999999"]) {
      expect((await call(sandbox, `/customer/list?page=${page}`, { headers: auth })).status, page).toBe(204);
      const search = await call(sandbox, `/customer/list?page=${page}&city=London`, { headers: auth });
      expect(search.status, page).toBe(204);
    }
  });
});

describe("rewrite", () => {
  it("sees the final answer, Request-Id included, and the request: it can drop the header", async () => {
    const seen: string[] = [];
    const sandbox = createSandbox("apideck", {
      customers: 1,
      rewrite: (answer, request) => {
        seen.push(
          `${request.method} ${request.url} ${answer.status} ${answer.headers["request-id"] ? "id" : "-"}`,
        );
        const { "request-id": _, ...headers } = answer.headers;
        return { ...answer, headers };
      },
    });
    const answer = await call(sandbox, CUSTOMERS, { headers: APIDECK_AUTH });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("request-id")).toBeNull();
    expect(seen).toEqual([`GET ${CUSTOMERS} 200 id`]);
  });
});

describe("deskero search fields follow the spec's CustomerSearch", () => {
  it("accepts the read-only fields and profilePhotoBlob, refuses the free-form objects", async () => {
    const sandbox = createSandbox("deskero", { customers: 3 });
    const auth = await deskeroToken(sandbox);
    const [id] = ids(sandbox);
    const byId = await call(sandbox, `/customer/list?id=${id}`, { headers: auth });
    expect(byId.body.customer.records.map((c: { id: string }) => c.id)).toEqual([id]);
    for (const field of ["profilePhotoUrl", "profilePhotoBlob"])
      expect((await call(sandbox, `/customer/list?${field}=x`, { headers: auth })).status, field).toBe(204);
    for (const field of ["account", "customFields"])
      expect((await call(sandbox, `/customer/list?${field}=x`, { headers: auth })).status, field).toBe(400);
  });
});

describe("copiesOf", () => {
  it("names the source people a target lacks and those it holds twice", () => {
    const source = createSandbox("deskero", { customers: 3, seed: 8 });
    const target = createSandbox("apideck", { customers: 2, seed: 8 });
    const [, , third] = [...source.records()];
    expect(copiesOf(source, target)).toEqual({ missing: [third?.email?.toLowerCase()], doubled: [] });
    expect(copiesOf(source, source).doubled).toEqual([]);
  });
});
