// The provider-specific list, iterate and get options, on in-process sandboxes (every request recorded).

import type { Customer as DeskeroCustomer } from "@cskit/deskero";
import { createSandbox, IN_PROCESS_URL, SANDBOX_CREDENTIALS } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { createHelpdesk, type HelpdeskOptions } from "../src/index.js";

/** A helpdesk over a fresh in-process sandbox of `provider`, and the URL of every request it made. */
function onSandbox(provider: "apideck" | "deskero", customers = 60) {
  const sandbox = createSandbox(provider, { customers, seed: 5 });
  const urls: string[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    urls.push(new Request(input).url.replace(IN_PROCESS_URL, ""));
    return sandbox.fetch(input, init);
  };
  const options = { provider, ...SANDBOX_CREDENTIALS[provider], baseUrl: IN_PROCESS_URL, fetch };
  const hd = createHelpdesk(options as HelpdeskOptions);
  return { hd, urls, sandbox };
}

const collect = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

describe("apideck", () => {
  it("iterate starts from a cursor, with the page size and fields asked for", async () => {
    const { hd, urls } = onSandbox("apideck");
    const first = await hd.customers.list({ limit: 10 });
    expect(first.items).toHaveLength(10);
    const rest = await collect(
      hd.customers.iterate({ cursor: first.next ?? undefined, limit: 25, fields: "id,first_name" }),
    );
    expect(rest).toHaveLength(50);
    expect(rest.every((c) => Object.keys(c.remote.data).sort().join() === "first_name,id")).toBe(true);
    expect(new Set([...first.items, ...rest].map((c) => c.id)).size).toBe(60);
    expect(urls.slice(1).every((u) => u.includes("limit=25") && u.includes("fields=id%2Cfirst_name"))).toBe(
      true,
    );
  });

  it("get takes fields; where is refused rather than ignored", async () => {
    const { hd } = onSandbox("apideck");
    const [one] = (await hd.customers.list()).items;
    const got = await hd.customers.get(one?.id as string, { fields: "id,last_name" });
    expect(Object.keys(got.remote.data).sort()).toEqual(["id", "last_name"]);
    await expect(hd.customers.list({ where: { first_name: "x" } })).rejects.toThrow(TypeError);
    await expect(collect(hd.customers.iterate({ where: { first_name: "x" } }))).rejects.toThrow(/where/);
  });
});

describe("deskero", () => {
  it("list and iterate search with where, and start from a page", async () => {
    const { hd, urls, sandbox } = onSandbox("deskero", 80);
    const records = () => [...sandbox.records()] as DeskeroCustomer[];
    const city = records()[0]?.city as string;
    const matching = records().filter((r) => r.city === city).length;
    const found = await collect(hd.customers.iterate({ where: { city } }));
    expect(found).toHaveLength(matching);
    expect(found.every((c) => c.addresses?.[0]?.city === city)).toBe(true);
    const query = new URL(urls.find((u) => u.startsWith("/customer/list")) as string, "http://x")
      .searchParams;
    expect([query.get("page"), query.get("city")]).toEqual(["1", city]);

    const fromPage3 = await collect(hd.customers.iterate({ cursor: "3" }));
    expect(fromPage3.map((c) => c.id)).toEqual(
      records()
        .slice(50)
        .map((r) => r.id),
    );
    const page2 = await hd.customers.list({ cursor: "2", where: {} });
    expect(page2.items.map((c) => c.id)).toEqual(
      records()
        .slice(25, 50)
        .map((r) => r.id),
    );
    expect(page2.next).toBe("3");
  });

  it("fields is refused rather than ignored; a bad page cursor is a TypeError", async () => {
    const { hd } = onSandbox("deskero");
    await expect(hd.customers.list({ fields: "id" })).rejects.toThrow(/fields/);
    await expect(hd.customers.get("x", { fields: "id" })).rejects.toThrow(TypeError);
    await expect(collect(hd.customers.iterate({ cursor: "zero" }))).rejects.toThrow(/page number/);
  });
});
