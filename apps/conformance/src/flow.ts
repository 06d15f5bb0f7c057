// The stateful flow a stateless mock cannot run: create, get, update, get, delete, get again.
import type { ApideckCustomerSupport } from "@cskit/apideck-customer-support";
import type { DeskeroClient } from "@cskit/deskero";
import { isNotFound } from "@cskit/http";
import { expect } from "vitest";

export async function apideckFlow(cs: ApideckCustomerSupport): Promise<void> {
  const name = `cskit-conformance-${Date.now()}`;
  const { id } = await cs.customers.create({ first_name: name, status: "active", currency: "EUR" });
  expect((await cs.customers.get(id)).data).toMatchObject({ id, first_name: name });
  await cs.customers.update(id, { notes: "updated by cskit conformance" });
  expect((await cs.customers.get(id)).data.notes).toBe("updated by cskit conformance");
  await cs.customers.delete(id);
  const gone = await cs.customers.get(id).catch((error: unknown) => error);
  expect(isNotFound(gone)).toBe(true);
}

export async function deskeroFlow(dk: DeskeroClient): Promise<void> {
  const name = `cskit-conformance-${Date.now()}`;
  const { id } = await dk.customers.create({ name, email: `${name}@example.com`, language: "en" });
  expect(await dk.customers.get(id)).toMatchObject({ id, name });
  expect((await dk.customers.search({ name })).records.map((c) => c.id)).toEqual([id]);
  await dk.customers.update(id, { memo: "updated by cskit conformance" });
  expect((await dk.customers.get(id)).memo).toBe("updated by cskit conformance");
  await dk.customers.delete(id);
  const gone = await dk.customers.get(id).catch((error: unknown) => error);
  expect(isNotFound(gone)).toBe(true);
}
