// Sandboxes whose listings shift, glitch or repeat records on cue, reached through the real clients.
import { setTimeout as sleep } from "node:timers/promises";
import { createHelpdesk, type Helpdesk } from "@cskit/helpdesk";
import { IN_PROCESS_URL, SANDBOX_CREDENTIALS, type Sandbox } from "@cskit/sandbox";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What a test may do to one request of a sandbox: answer it itself, or change the sandbox's answer. */
export interface Cue {
  /** Before the sandbox sees the request: a Response answers instead; undefined lets it through. */
  before?(request: Request, n: Counts): Promise<Response | undefined> | Response | undefined;
  /** True: the sandbox processes the request, then its answer is lost (the connection drops). */
  loseAnswer?(request: Request, n: Counts): boolean;
  /** After the sandbox answered a list page, before the client reads it: change the source, or the page. */
  afterList?(page: ListPage, n: Counts): Promise<void> | void;
}

/** Requests seen so far, by kind. */
export interface Counts {
  lists: number;
  details: number;
  creates: number;
}

/** A list page as the sandbox answered it; `body` may be replaced before the client reads it. */
export interface ListPage {
  url: URL;
  body: Record<string, unknown>;
}

const isList = (api: Sandbox["api"], url: URL, method: string) =>
  method === "GET" &&
  (api === "deskero" ? url.pathname === "/customer/list" : url.pathname === "/customer-support/customers");

const isCreate = (api: Sandbox["api"], url: URL, method: string) =>
  method === "POST" &&
  (api === "deskero" ? url.pathname === "/customer/insert" : url.pathname === "/customer-support/customers");

const isDetail = (api: Sandbox["api"], url: URL, method: string) =>
  method === "GET" &&
  (api === "deskero"
    ? /^\/customer\/[^/]+$/.test(url.pathname) && url.pathname !== "/customer/list"
    : /^\/customer-support\/customers\/[^/]+$/.test(url.pathname));

/** The sandbox's in-process fetch, with the cue's changes. */
export function cuedFetch(sandbox: Sandbox, cue: Cue): Fetch {
  const counts: Counts = { lists: 0, details: 0, creates: 0 };
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (isList(sandbox.api, url, request.method)) counts.lists++;
    if (isDetail(sandbox.api, url, request.method)) counts.details++;
    if (isCreate(sandbox.api, url, request.method)) counts.creates++;
    const own = await cue.before?.(request.clone(), counts);
    if (own) return own;
    const lose = cue.loseAnswer?.(request, counts) ?? false;
    const response = await sandbox.fetch(request);
    if (lose)
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
      });
    if (!cue.afterList || !isList(sandbox.api, url, request.method) || response.status !== 200)
      return response;
    const page = { url, body: (await response.json()) as Record<string, unknown> };
    await cue.afterList(page, counts);
    return new Response(JSON.stringify(page.body), { status: 200, headers: response.headers });
  };
}

/** A helpdesk over a sandbox, its requests passing through `fetch` (the sandbox's own by default). */
export function helpdeskOf(sandbox: Sandbox, fetch: Fetch = sandbox.fetch.bind(sandbox)): Helpdesk {
  const common = { baseUrl: IN_PROCESS_URL, fetch, retry: { baseDelayMs: 1, maxDelayMs: 5 } };
  return sandbox.api === "apideck"
    ? createHelpdesk({ provider: "apideck", ...SANDBOX_CREDENTIALS.apideck, ...common })
    : createHelpdesk({ provider: "deskero", ...SANDBOX_CREDENTIALS.deskero, ...common });
}

/** Deskero's answer for "nothing here": 204, no body. */
export const noContent = () => new Response(null, { status: 204 });

/** A Deskero source that hides these customers: its listing skips them, their detail answers 204. */
export const hiding = (hidden: ReadonlySet<string>): Cue => ({
  before: (request) =>
    hidden.has(new URL(request.url).pathname.split("/").at(-1) ?? "") ? noContent() : undefined,
  afterList: (page) => {
    const customer = page.body.customer as { records: { id: string }[] };
    customer.records = customer.records.filter((r) => !hidden.has(r.id));
  },
});

/** A cue that holds every create a while before the sandbox stores it: inserts slower than searches. */
export const slowCreates = (ms: number): Cue => ({
  async before(request) {
    const url = new URL(request.url);
    if (request.method === "POST" && !url.pathname.startsWith("/oauth")) await sleep(ms);
    return undefined;
  },
});

/** The records of a list page's body, for either API. */
export function recordsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const deskero = (body.customer as { records?: Record<string, unknown>[] } | undefined)?.records;
  return deskero ?? (body.data as Record<string, unknown>[]);
}
