// Positive data acceptance: requests generated from the spec's request schemas (fast-check, fixed
// seed, bounded count) go through the typed clients; a validating server must accept every one.
import type { CustomerInput as ApideckInput } from "@cskit/apideck-customer-support";
import type { CustomerSearch, CustomerInput as DeskeroInput } from "@cskit/deskero";
import { CskitError } from "@cskit/http";
import { arbitraryOf } from "@cskit/specs/arbitrary";
import fc, { type Arbitrary } from "fast-check";
import type { Clients } from "./cases.js";
import type { CheckResult, Mode } from "./report.js";
import { type Api, operation } from "./spec.js";

// biome-ignore lint/suspicious/noExplicitAny: each generated argument tuple is typed by its call.
type Args = any;
interface PositiveCase {
  args: Arbitrary<Args>;
  call: (c: Clients, args: Args) => Promise<unknown>;
}

/** A header value: visible ASCII, no edge spaces (HTTP headers carry bytes, and fetch trims). */
const headerText = fc.stringMatching(/^[!-~](?:[ -~]{0,30}[!-~])?$/);

/** An optional parameter of an operation, from its schema; null becomes "not sent". */
function param(api: Api, operationId: string, name: string): Arbitrary<Args> {
  const p = operation(api, operationId).parameters.find((x) => x.name === name);
  if (!p) throw new Error(`${api} ${operationId} has no parameter ${name}`);
  const value = p.in === "header" && p.schema.type === "string" ? headerText : arbitraryOf(api, p.schema);
  return fc.option(value, { nil: undefined }).map((v) => v ?? undefined);
}

/** A record id as a path segment: any text but the empty and dot segments, which URLs rewrite. */
const recordId = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/),
    fc.string({ minLength: 1, maxLength: 10, unit: "grapheme" }),
  )
  .filter((s) => !/^\.*$/.test(s) && !s.includes("/"));
const body = (api: Api) => arbitraryOf(api, "CustomerInput", { onlyValid: true });
/** A header-safe API token (printable ASCII), sent verbatim after "Basic ". */
const apiToken = headerText;
/** Search filters without nulls: a query parameter has a value. */
const search = arbitraryOf("deskero", "CustomerSearch", { onlyValid: true }).map(
  (s) => Object.fromEntries(Object.entries(s as object).filter(([, v]) => v !== null)) as CustomerSearch,
);

export const POSITIVE: Record<Api, Record<string, PositiveCase>> = {
  apideck: {
    customersAll: {
      args: fc.record({
        // No `cursor`: it is opaque and server-issued; a made-up one is refused (InvalidCursorError).
        limit: param("apideck", "customersAll", "limit"),
        fields: param("apideck", "customersAll", "fields"),
        raw: param("apideck", "customersAll", "raw"),
        serviceId: param("apideck", "customersAll", "x-apideck-service-id"),
      }),
      call: (c, { raw, serviceId, ...params }) => c.apideck.customers.list(params, { raw, serviceId }),
    },
    customersAdd: {
      args: fc.tuple(body("apideck"), param("apideck", "customersAdd", "X-Unique-Transaction-ID")),
      call: (c, [customer, idempotencyKey]) =>
        c.apideck.customers.create(customer as ApideckInput, { idempotencyKey }),
    },
    customersOne: {
      args: fc.tuple(
        recordId,
        param("apideck", "customersOne", "fields"),
        param("apideck", "customersOne", "raw"),
      ),
      call: (c, [id, fields, raw]) => c.apideck.customers.get(id, { fields }, { raw }),
    },
    customersUpdate: {
      args: fc.tuple(recordId, body("apideck"), param("apideck", "customersUpdate", "raw")),
      call: (c, [id, patch, raw]) => c.apideck.customers.update(id, patch as ApideckInput, { raw }),
    },
    customersDelete: {
      args: fc.tuple(recordId, param("apideck", "customersDelete", "raw")),
      call: (c, [id, raw]) => c.apideck.customers.delete(id, { raw }),
    },
  },
  deskero: {
    getAccessToken: {
      args: apiToken,
      call: (c, token) => c.deskeroByApiToken(token).customers.list(),
    },
    listCustomers: {
      args: fc.tuple(search, param("deskero", "listCustomers", "page")),
      call: (c, [filters, page]) => c.deskero.customers.search(filters, { page }),
    },
    getCustomer: { args: recordId, call: (c, id) => c.deskero.customers.get(id) },
    insertCustomer: {
      args: body("deskero"),
      call: (c, customer) => c.deskero.customers.create(customer as DeskeroInput),
    },
    updateCustomer: {
      args: fc.tuple(recordId, body("deskero")),
      call: (c, [id, customer]) => c.deskero.customers.update(id, customer as DeskeroInput),
    },
    deleteCustomer: {
      args: recordId,
      call: (c, id) => c.deskero.customers.delete(id),
    },
  },
};

/**
 * Accepted, as Schemathesis counts it: a 2xx, a 401 or 403 (a generated API token is no valid
 * one), or "no such record" for a generated id (Apideck 404, Deskero 204, or Deskero's 400 on a
 * write to an unknown id). Anything else (a 422 from Prism's request validation, a 400 for a
 * valid body, a 5xx) means valid data was refused.
 */
function refusal(error: unknown, operationId: string): string | undefined {
  if (!(error instanceof CskitError)) return String(error);
  if (error.notFound || error.status === 401 || error.status === 403) return undefined;
  const unknownId = /^(update|delete)Customer$/.test(operationId) && error.status === 400;
  return unknownId ? undefined : `${error.status}: ${error.message}`;
}

export interface PositiveOptions {
  mode: Mode;
  numRuns: number;
  seed: number;
  /** Operations to run (default: all of the API). */
  only?: string[] | undefined;
}

/** Runs the positive cases of an API; one result per operation, naming the first refused input. */
export async function runPositive(
  api: Api,
  clients: Clients,
  options: PositiveOptions,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [operationId, c] of Object.entries(POSITIVE[api])) {
    if (options.only && !options.only.includes(operationId)) continue;
    const property = fc.asyncProperty(c.args, async (args) => {
      const problem = await c.call(clients, args).then(
        () => undefined,
        (error: unknown) => refusal(error, operationId),
      );
      if (problem) throw new Error(problem);
    });
    const run = await fc.check(property, {
      seed: options.seed,
      numRuns: options.numRuns,
      endOnFailure: true,
    });
    const detail = run.failed
      ? `refused ${JSON.stringify(run.counterexample?.[0])?.slice(0, 300)}: ${String((run.errorInstance as Error)?.message).slice(0, 300)}`
      : undefined;
    results.push({
      api,
      operationId,
      check: "positive_data_acceptance",
      mode: options.mode,
      passed: !run.failed,
      detail,
    });
  }
  return results;
}
