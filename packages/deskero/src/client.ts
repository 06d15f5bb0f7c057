import { type RequestOptions, TrafficPolicy } from "@cskit/http";
import {
  type AnswerRules,
  checkBaseUrl,
  checkedAnswer,
  checkHeaderValue,
  checkId,
  createTransport,
  debugLogger,
  isJsonObject,
  PlainRequest,
  paginate,
  parseAnswer,
  perCall,
  Redactor,
  type ShapeCheck,
  type TextResult,
  unexpectedAnswer,
} from "@cskit/http/internal";
import createClient, { type Client } from "openapi-fetch";
import type {
  CustomerPage,
  CustomerResult,
  DeskeroClient,
  DeskeroCustomers,
  DeskeroOptions,
  DeskeroPaths,
  PageParams,
  WriteResult,
} from "./api.js";
import { DeskeroError } from "./errors.js";
import type { components, operations } from "./generated/schema.js";
import { TokenCache } from "./token.js";
import type { Customer, CustomerSearch } from "./types.js";

const EMPTY_PAGE_SIZE = 25;
/** Pages `iterate` reads at once after the first: 8 × 25 customers held at most. */
export const PAGES_AHEAD = 8;

/** The page after `page`, up to the last page that `totalRecords` implies; undefined past it or when the numbers are unusable. */
function predictor(totalRecords: unknown, recordsPerPage: unknown) {
  if (!Number.isSafeInteger(totalRecords) || !Number.isSafeInteger(recordsPerPage)) return undefined;
  if ((recordsPerPage as number) < 1 || (totalRecords as number) < 0) return undefined;
  const lastPage = Math.ceil((totalRecords as number) / (recordsPerPage as number));
  return (page: number) => (page < lastPage ? page + 1 : undefined);
}

/** The check of an answer that carries a customer's id (detail, insert, update, delete). */
const hasId: ShapeCheck = (b) => (typeof b.id === "string" && b.id !== "" ? undefined : "`id` is missing");

/** The caller's signal and paging's own, as one. */
const both = (mine: AbortSignal | undefined, paging: AbortSignal) =>
  mine ? AbortSignal.any([mine, paging]) : paging;

/** The page number a `nextQuery` URL (absolute, or relative to the base URL) points to, if any. */
function pageOf(nextQuery: string, baseUrl: string): number | undefined {
  try {
    const page = Number(new URL(nextQuery, baseUrl).searchParams.get("page"));
    return Number.isInteger(page) && page > 0 ? page : undefined;
  } catch {
    return undefined;
  }
}

/** Deskero, with auth set once: see `DeskeroClient` for what each call does. */
export function createDeskeroClient(options: DeskeroOptions): DeskeroClient {
  const factory = "createDeskeroClient";
  checkHeaderValue(factory, "clientId", options.clientId, true);
  checkHeaderValue(factory, "accessToken", options.accessToken, false);
  checkHeaderValue(factory, "apiToken", options.apiToken, false);
  if (!options.accessToken && !options.apiToken) {
    throw new TypeError(`${factory}: pass accessToken, or apiToken to fetch one`);
  }
  const redactor = new Redactor([options.accessToken, options.apiToken]);
  const log = debugLogger(options.debug);
  const traffic = new TrafficPolicy(options);
  const fetch = createTransport({ ...options, redactor, traffic });
  const baseUrl = checkBaseUrl(options.baseUrl ?? "https://api.deskero.com");
  const client: Client<DeskeroPaths> = createClient<DeskeroPaths>({
    // A plain request object instead of a WHATWG Request: the transport makes the one real fetch.
    Request: PlainRequest as unknown as typeof Request,
    baseUrl,
    fetch,
    headers: {
      clientId: options.clientId,
      Authorization: options.accessToken ? `Bearer ${options.accessToken}` : undefined,
    },
    // Search fields go out as plain query parameters: ?name=Frank
    querySerializer: { object: { style: "form", explode: true } },
  });
  // Only a 204 may come without a body: list and search found nothing, or detail no customer.
  const rules: AnswerRules<DeskeroError> = {
    toError: (answer) => new DeskeroError(answer),
    redactor,
    emptyStatus: 204,
  };
  const unexpected = (operation: string, what: string, requestId: string | undefined, status = 200) =>
    unexpectedAnswer(rules, operation, what, requestId, status);

  let tokens: TokenCache | undefined;
  if (!options.accessToken && options.apiToken) {
    const apiToken = options.apiToken;
    tokens = new TokenCache(async (signal) => {
      const pending = client.GET("/oauth/token", {
        params: { query: { grant_type: "client_credentials" } },
        headers: { Authorization: `Basic ${apiToken}`, clientId: null },
        signal,
        parseAs: "text",
      });
      // The token endpoint's body is never quoted in an error: it may hold a fresh token.
      const { body } = parseAnswer<components["schemas"]["AccessToken"]>(
        await pending,
        "getAccessToken",
        rules.toError,
        redactor,
        { quoteBody: false },
      );
      const token = body?.access_token;
      if (typeof token === "string") redactor.add(token);
      let problem: string | undefined;
      if (typeof token !== "string" || typeof body?.expires_in !== "number")
        problem = "lacks access_token or expires_in";
      else if (!/^[\x21-\x7e]+$/.test(token))
        problem = "holds an access_token that cannot be sent in a header (not shown)";
      if (problem) throw unexpected("getAccessToken", `the token answer ${problem}`, undefined);
      return { accessToken: token as string, expiresIn: body?.expires_in as number };
    }, redactor);
    const cache = tokens;
    client.use({
      async onRequest({ request, schemaPath }) {
        if (schemaPath !== "/oauth/token")
          request.headers.set("Authorization", `Bearer ${await cache.get(request.signal ?? undefined)}`);
      },
      onResponse({ request, response }) {
        // Forget the exact token the server refused; call() then replays once with a new one.
        const sent = request.headers.get("Authorization");
        if (response.status === 401 && sent?.startsWith("Bearer ")) cache.invalidate(sent.slice(7));
      },
    });
  }

  /**
   * Sends, and on a 401 with a fetched token, replays once: the middleware has dropped the refused
   * token. Then checks the few fields the client relies on: `check` returns what is missing.
   */
  async function call<T>(operation: keyof operations, send: () => Promise<TextResult>, check: ShapeCheck) {
    let result = await send();
    if (result.response.status === 401 && tokens) {
      log?.(`${operation} -> 401, renewing the token and replaying once`);
      result = await send();
    }
    return checkedAnswer<T>(result, operation, check, rules);
  }

  async function search(
    filters: CustomerSearch,
    p: PageParams = {},
    o?: RequestOptions,
  ): Promise<CustomerPage> {
    const { body, requestId } = await call<components["schemas"]["CustomerList"]>(
      "listCustomers",
      () =>
        client.GET("/customer/list", {
          // No filter, no `search` parameter (an empty one left a dangling `&` in the URL).
          params: { query: { page: p.page, search: Object.keys(filters).length > 0 ? filters : undefined } },
          ...perCall(fetch, o),
          parseAs: "text",
        }),
      (b) => {
        const list = b.customer as { records?: unknown; nextQuery?: unknown } | undefined;
        if (!Array.isArray(list?.records)) return "`customer.records` is not a list";
        if (!list.records.every(isJsonObject))
          return "`customer.records` holds an item that is not an object";
        const next = list.nextQuery;
        if (next !== undefined && next !== null && typeof next !== "string")
          return "`customer.nextQuery` is not a string";
      },
    );
    // 204: nothing matched.
    const page = body?.customer ?? {
      totalRecords: 0,
      recordsPerPage: EMPTY_PAGE_SIZE,
      previousQuery: null,
      nextQuery: null,
      records: [],
    };
    return { ...page, requestId };
  }

  async function write(operation: keyof operations, send: () => Promise<TextResult>): Promise<WriteResult> {
    const { body, requestId } = await call<{ id: string }>(operation, send, hasId);
    if (!body) throw unexpected(operation, "the body is empty", requestId, 204);
    return { id: body.id, requestId };
  }

  const customers: DeskeroCustomers = {
    list: (p = {}, o) => search({}, p, o),

    search,

    iterate(filters = {}, p = {}, o = {}) {
      // A nextQuery that names no page ends the paging after its page's records, with an error.
      let broken: DeskeroError | undefined;
      const pages = paginate<Customer, number>(
        async (page = 1, paging) => {
          const result = await search(filters, { page }, { ...o, signal: both(o.signal, paging) });
          const predict = predictor(result.totalRecords, result.recordsPerPage);
          if (!result.nextQuery) return { items: result.records, next: null };
          const next = pageOf(result.nextQuery, baseUrl);
          if (!next) broken = unexpected("listCustomers", "`nextQuery` names no page", result.requestId);
          return { items: result.records, next: next ?? null, predict };
        },
        {
          maxItems: p.maxItems,
          onPage: p.onPage,
          start: p.page ?? 1,
          operation: "listCustomers",
          ahead: p.ahead ?? PAGES_AHEAD,
        },
      );
      return (async function* () {
        let count = 0;
        for await (const customer of pages) {
          count++;
          yield customer;
        }
        if (broken && count !== p.maxItems) throw broken;
      })();
    },

    async get(id, o): Promise<CustomerResult> {
      const { body, requestId } = await call<Customer>(
        "getCustomer",
        () =>
          client.GET("/customer/{customerId}", {
            params: { path: { customerId: checkId(id) } },
            ...perCall(fetch, o),
            parseAs: "text",
          }),
        hasId,
      );
      // 204: Deskero's answer for an unknown id.
      if (body === undefined) {
        throw new DeskeroError({
          status: 204,
          body,
          excerpt: `no customer with id ${id}`,
          requestId,
          operation: "getCustomer",
          notFound: true,
        });
      }
      return { ...body, requestId };
    },

    create: async (customer, o) =>
      write("insertCustomer", () =>
        client.POST("/customer/insert", { body: customer, ...perCall(fetch, o), parseAs: "text" }),
      ),

    update: async (id, customer, o) =>
      write("updateCustomer", () =>
        client.PUT("/customer/update/{customerId}", {
          params: { path: { customerId: checkId(id) } },
          body: customer,
          ...perCall(fetch, o),
          parseAs: "text",
        }),
      ),

    delete: async (id, o) =>
      write("deleteCustomer", () =>
        client.DELETE("/customer/delete/{customerId}", {
          params: { path: { customerId: checkId(id) } },
          ...perCall(fetch, o),
          parseAs: "text",
        }),
      ),
  };

  return { customers, client, traffic };
}
