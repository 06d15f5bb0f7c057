// The stateful checks a stateless mock cannot run, through the typed clients, against any server:
// create -> list contains it -> get -> update -> get (the change is visible) -> delete ->
// get (not found) -> delete again (not found). Each step gives a check result.
import type { ApideckCustomerSupport } from "@cskit/apideck-customer-support";
import type { DeskeroClient } from "@cskit/deskero";
import { CskitError, isNotFound } from "@cskit/http";
import type { CheckClass, CheckResult, Mode } from "./report.js";
import type { Api } from "./spec.js";

type Step = { operationId: string; check: CheckClass; name: string; run: () => Promise<string | undefined> };

/** Runs the steps in order; a step that throws fails, and the steps after it are reported as not reached. */
async function runSteps(api: Api, mode: Mode, steps: Step[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let stopped: string | undefined;
  for (const step of steps) {
    let problem: string | undefined = stopped && `not reached: ${stopped}`;
    if (!stopped) {
      problem = await step.run().catch((error: unknown) => `threw ${(error as Error).message}`);
      if (problem) stopped = `${step.name} failed`;
    }
    results.push({
      api,
      operationId: step.operationId,
      check: step.check,
      mode,
      passed: !problem,
      detail: problem && `${step.name}: ${problem}`,
    });
  }
  return results;
}

const notFound = async (pending: Promise<unknown>, what: string) => {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isNotFound(error) ? undefined : `${what} did not answer not-found (${describe(error)})`;
};
/** Deskero documents no not-found for writes: deleting a deleted record must be a 4xx. */
const refused4xx = async (pending: Promise<unknown>, what: string) => {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  const status = error instanceof CskitError ? error.status : undefined;
  return status !== undefined && status >= 400 && status < 500
    ? undefined
    : `${what} was not refused (${describe(error)})`;
};
const describe = (error: unknown) =>
  error === undefined
    ? "it succeeded"
    : error instanceof CskitError
      ? `status ${error.status}`
      : String(error);

export function apideckFlow(cs: ApideckCustomerSupport, mode: Mode): Promise<CheckResult[]> {
  const name = `cskit-conformance-${Date.now()}`;
  const note = "updated by cskit conformance";
  let id = "";
  return runSteps("apideck", mode, [
    {
      operationId: "customersAdd",
      check: "resource_availability",
      name: "create",
      run: async () => {
        id = (await cs.customers.create({ first_name: name, status: "active", currency: "EUR" })).id;
        return id ? undefined : "no id";
      },
    },
    {
      operationId: "customersAll",
      check: "resource_availability",
      name: "list after create",
      run: async () => {
        for await (const c of cs.customers.iterate({ limit: 200 })) if (c.id === id) return undefined;
        return `the list does not contain ${id}`;
      },
    },
    {
      operationId: "customersOne",
      check: "resource_availability",
      name: "get after create",
      run: async () => {
        const { data } = await cs.customers.get(id);
        return data.id === id && data.first_name === name
          ? undefined
          : `got ${JSON.stringify(data).slice(0, 200)}`;
      },
    },
    {
      operationId: "customersUpdate",
      check: "resource_availability",
      name: "get after update",
      run: async () => {
        await cs.customers.update(id, { notes: note });
        const { data } = await cs.customers.get(id);
        return data.notes === note ? undefined : `notes is ${JSON.stringify(data.notes)}, not the update`;
      },
    },
    {
      operationId: "customersDelete",
      check: "use_after_free",
      name: "get after delete",
      run: async () => {
        await cs.customers.delete(id);
        return notFound(cs.customers.get(id), "get of the deleted record");
      },
    },
    {
      operationId: "customersDelete",
      check: "use_after_free",
      name: "delete again",
      run: () => notFound(cs.customers.delete(id), "a second delete"),
    },
  ]);
}

export function deskeroFlow(dk: DeskeroClient, mode: Mode): Promise<CheckResult[]> {
  const name = `cskit-conformance-${Date.now()}`;
  const memo = "updated by cskit conformance";
  let id = "";
  return runSteps("deskero", mode, [
    {
      operationId: "insertCustomer",
      check: "resource_availability",
      name: "create",
      run: async () => {
        id = (await dk.customers.create({ name, email: `${name}@example.com`, language: "en" })).id;
        return id ? undefined : "no id";
      },
    },
    {
      operationId: "listCustomers",
      check: "resource_availability",
      name: "search after create",
      run: async () => {
        const ids = (await dk.customers.search({ name })).records.map((c) => c.id);
        return ids.includes(id) ? undefined : `search by name found ${JSON.stringify(ids)}, not ${id}`;
      },
    },
    {
      operationId: "getCustomer",
      check: "resource_availability",
      name: "get after create",
      run: async () => {
        const customer = await dk.customers.get(id);
        return customer.id === id && customer.name === name
          ? undefined
          : `got ${JSON.stringify(customer).slice(0, 200)}`;
      },
    },
    {
      operationId: "updateCustomer",
      check: "resource_availability",
      name: "get after update",
      run: async () => {
        await dk.customers.update(id, { memo });
        const customer = await dk.customers.get(id);
        return customer.memo === memo
          ? undefined
          : `memo is ${JSON.stringify(customer.memo)}, not the update`;
      },
    },
    {
      operationId: "deleteCustomer",
      check: "use_after_free",
      name: "get after delete",
      run: async () => {
        await dk.customers.delete(id);
        return notFound(dk.customers.get(id), "get of the deleted record");
      },
    },
    {
      operationId: "deleteCustomer",
      check: "use_after_free",
      name: "delete again",
      run: () => refused4xx(dk.customers.delete(id), "a second delete"),
    },
  ]);
}
