// The Deskero API, in memory: the token exchange and the customer operations of specs/deskero.yaml,
// lists and searches paged by 25 (204 when nothing matches), detail 204 for an unknown id.
import { randomUUID } from "node:crypto";
import type { Customer, CustomerInput, CustomerSearch } from "@cskit/deskero";
import {
  type ApiModel,
  credentials,
  headerOf,
  json,
  noContent,
  pathSegment,
  readObject,
  type SandboxAnswer,
  type SandboxRequest,
} from "./answer.js";
import type { Person } from "./people.js";
import { Random } from "./random.js";
import { Store } from "./store.js";
import { bodyViolation, parameterViolation, requestRules } from "./validation.js";

const PAGE_SIZE = 25;
type StoredCustomer = Customer & Required<CustomerInput>;

/**
 * A customer with every field null, as Deskero returns a field never set. Records start from this
 * one literal and only change values, so V8 keeps 100k of them compact (a spread does not).
 */
function blankCustomer(id: string): StoredCustomer {
  return {
    id,
    name: null,
    birthDate: null,
    email: null,
    phoneNumber: null,
    faxNumber: null,
    mobileNumber: null,
    address: null,
    city: null,
    province: null,
    state: null,
    postalNumber: null,
    skypeAddress: null,
    msnAddress: null,
    gtalkAddress: null,
    twitterAccountUrl: null,
    facebookAccountUrl: null,
    linkedinAccountUrl: null,
    googleAccountUrl: null,
    youtubeAccountUrl: null,
    registrationChannel: null,
    topClient: null,
    profilePhotoUrl: null,
    profilePhotoBlob: null,
    signature: null,
    memo: null,
    website: null,
    company: null,
    language: null,
    account: null,
    insertByAgentId: null,
    customFields: null,
  };
}

/** Read-only fields a caller may send back unchanged (a record read, edited, and written); ignored. */
const READ_ONLY = ["id", "profilePhotoUrl"];
const INPUT_FIELDS = new Set(Object.keys(blankCustomer("")).filter((key) => !READ_ONLY.includes(key)));
/** The spec's `CustomerSearch`: every field but the free-form objects. */
const SEARCH_FIELDS = new Set<string>([
  ...([...READ_ONLY, ...INPUT_FIELDS] as (keyof CustomerSearch)[]).filter(
    (key) => !["account", "customFields"].includes(key),
  ),
] satisfies (keyof CustomerSearch)[]);

/** The spec's operationId for a customer call: which parameters to check. */
function operationOf(method: string, path: string): string {
  if (path === "/customer/list") return "listCustomers";
  if (path === "/customer/insert") return "insertCustomer";
  if (path.startsWith("/customer/update/")) return "updateCustomer";
  if (path.startsWith("/customer/delete/")) return "deleteCustomer";
  return method === "GET" ? "getCustomer" : "";
}

const badRequest = (error: string) => json(400, { error: "bad_request", error_description: error });

/** A Deskero customer for a generated person, every field present as Deskero returns it. */
export function deskeroCustomer(id: string, p: Person): Customer {
  const c = blankCustomer(id);
  c.name = `${p.firstName} ${p.lastName}`;
  c.birthDate = p.birthDate;
  c.email = p.email;
  c.phoneNumber = p.phone;
  c.faxNumber = p.fax;
  c.mobileNumber = p.mobile;
  c.address = p.line1;
  c.city = p.city;
  c.province = p.region;
  c.state = p.country;
  c.postalNumber = p.postalCode;
  c.registrationChannel = "STANDARD";
  c.topClient = p.topClient;
  c.signature = `Regards, ${c.name}`;
  c.memo = p.notes;
  c.website = p.website;
  c.company = p.company;
  c.language = p.language;
  c.account = {};
  return c;
}

export interface DeskeroModelOptions {
  /** `expires_in` of the tokens issued, in seconds. A token past it is refused with 401. Default 43199. */
  tokenExpiresIn?: number | undefined;
}

export interface DeskeroModel extends ApiModel<Customer> {
  store: Store<Customer>;
}

export function createDeskeroModel(
  people: Iterable<Person>,
  seed: number,
  options: DeskeroModelOptions = {},
): DeskeroModel {
  const store = new Store<Customer>();
  const ids = new Random(seed, "deskero-ids");
  const newId = () => {
    let id: string;
    do id = ids.hex(24);
    while (store.has(id));
    return id;
  };
  for (const person of people) {
    const id = newId();
    store.insert(id, deskeroCustomer(id, person));
  }
  const expiresIn = options.tokenExpiresIn ?? 43_199;
  /** Tokens this sandbox issued, with when they expire (epoch ms). Tokens it did not issue are accepted. */
  const issued = new Map<string, number>();

  const rules = requestRules("deskero");

  /** A write's body, valid against the spec's `CustomerInput` once the read-only fields are dropped, or the 400. */
  function writable(operationId: string, body: string): { value: CustomerInput } | { error: SandboxAnswer } {
    const input = readObject(body);
    if ("error" in input) return { error: badRequest(input.error) };
    const fields = { ...input.value };
    for (const key of READ_ONLY) delete fields[key];
    const violation = bodyViolation(rules, operationId, fields);
    if (violation) return { error: badRequest(violation) };
    return { value: fields as CustomerInput };
  }

  /** The last search's matches, kept while nothing is written, so that paging through a search scans once. */
  let lastSearch: { key: string; version: number; found: Customer[] } | undefined;
  function search(filters: [string, string][]): Customer[] {
    const key = JSON.stringify(filters);
    if (lastSearch?.key === key && lastSearch.version === store.version) return lastSearch.found;
    const found: Customer[] = [];
    for (const c of store.values()) {
      const fields = c as { [key: string]: unknown };
      if (filters.every(([name, value]) => fields[name] != null && String(fields[name]) === value))
        found.push(c);
    }
    lastSearch = { key, version: store.version, found };
    return found;
  }

  function list(url: URL): SandboxAnswer {
    // `page` is an integer from 1 here, however large: answer() checked it against the spec.
    const page = Number(url.searchParams.get("page") ?? "1");
    const filters = [...url.searchParams].filter(([key]) => key !== "page");
    const unknown = filters.find(([key]) => !SEARCH_FIELDS.has(key));
    if (unknown) return badRequest(`unknown field name: ${unknown[0]}`);
    const offset = (page - 1) * PAGE_SIZE;
    if (offset >= store.size) return noContent(); // past the end, whatever the search (also guards huge pages)
    let total: number;
    let records: Customer[];
    if (filters.length === 0) {
      total = store.size;
      records = store.slice(offset, PAGE_SIZE);
    } else {
      const found = search(filters);
      total = found.length;
      records = found.slice(offset, offset + PAGE_SIZE);
    }
    if (records.length === 0) return noContent();
    const query = (p: number) => {
      const u = new URL(url);
      u.searchParams.set("page", String(p));
      return u.href;
    };
    return json(200, {
      customer: {
        totalRecords: total,
        recordsPerPage: PAGE_SIZE,
        previousQuery: page > 1 ? query(page - 1) : null,
        nextQuery: offset + PAGE_SIZE < total ? query(page + 1) : null,
        records,
      },
    });
  }

  /** `GET /oauth/token`: any non-empty Basic token gets a bearer token. */
  function exchangeToken(request: SandboxRequest, url: URL): SandboxAnswer {
    if (request.method !== "GET") return badRequest("use GET /oauth/token");
    if (!credentials(request, "Basic"))
      return json(401, { error: "unauthorized", error_description: "Send Authorization: Basic <api token>" });
    if (url.searchParams.get("grant_type") !== "client_credentials")
      return badRequest("grant_type must be client_credentials");
    const token = randomUUID();
    issued.set(token, Date.now() + expiresIn * 1000);
    return json(200, {
      access_token: token,
      token_type: "bearer",
      expires_in: expiresIn,
      scope: "read write",
    });
  }

  /** The answer refusing a customer call without a usable bearer token or clientId; undefined when allowed. */
  function refusal(request: SandboxRequest): SandboxAnswer | undefined {
    const bearer = credentials(request, "Bearer");
    const expiry = bearer === undefined ? undefined : issued.get(bearer);
    if (!bearer || (expiry !== undefined && Date.now() >= expiry)) {
      return json(401, {
        error: "invalid_token",
        error_description: bearer ? "Access token expired" : "Send Authorization: Bearer <token>",
      });
    }
    if (!headerOf(request, "clientid")) return badRequest("the clientId header is required");
    return undefined;
  }

  function answer(request: SandboxRequest, url: URL): SandboxAnswer {
    if (url.pathname === "/oauth/token") return exchangeToken(request, url);
    const refused = refusal(request);
    if (refused) return refused;
    const method = request.method;
    const violation = parameterViolation(rules, operationOf(method, url.pathname), url, request);
    if (violation) return badRequest(violation);
    if (url.pathname === "/customer/list") return method === "GET" ? list(url) : badRequest("use GET");
    if (url.pathname === "/customer/insert") {
      if (method !== "POST") return badRequest("use POST");
      const input = writable("insertCustomer", request.body);
      if ("error" in input) return input.error;
      const id = newId();
      store.insert(id, Object.assign(blankCustomer(id), input.value));
      return json(201, { id });
    }
    const match = /^\/customer\/(?:(update|delete)\/)?([^/]+)$/.exec(url.pathname);
    if (!match) return badRequest(`no route for ${url.pathname}`);
    const action = match[1];
    const id = pathSegment(match[2] as string);
    const customer = store.get(id);
    if (!action && method === "GET") return customer ? json(200, customer) : noContent();
    if (!customer) return badRequest(`unknown customer id: ${id}`);
    if (action === "update" && method === "PUT") {
      const input = writable("updateCustomer", request.body);
      if ("error" in input) return input.error;
      store.replace(id, Object.assign(blankCustomer(id), customer, input.value));
      return json(200, { id });
    }
    if (action === "delete" && method === "DELETE") {
      store.delete(id);
      return json(200, { id });
    }
    return badRequest(`${method} is not supported on ${url.pathname}`);
  }

  return {
    store,
    answer,
    refuse: (status) =>
      status === 429
        ? json(429, { error: "too_many_requests", error_description: "Rate limit reached, try again later" })
        : json(503, { error: "service_unavailable", error_description: "The sandbox injected a 503" }),
    size: () => store.size,
    records: () => store.values(),
  };
}
