// The stateful servers of the suite: @cskit/sandbox on loopback (both APIs, seeded, validating
// requests against our specs), plus a `rewrite` that can break one check class on purpose, to show
// that the check catches it. The sandbox accepts any credentials, so checks against it pass
// `checkCredentialValues: false`; `requireCredentials` makes it refuse all but the given ones.
import { type RunningSandbox, type SandboxAnswer, type SandboxRequest, startSandbox } from "@cskit/sandbox";
import type { Credentials } from "./clients.js";
import type { Api } from "./spec.js";

export type Break =
  /** Response schema: a wrong type, a missing envelope field; an unknown enum value is no break. */
  | "wrong-type"
  | "missing-envelope-field"
  | "unknown-enum"
  /** A get answers 500. */
  | "server-error"
  /** A get answers 418, which no spec documents. */
  | "undocumented-status"
  /** A get answers JSON as text/plain. */
  | "wrong-content-type"
  /** Apideck: no Request-Id header. */
  | "no-request-id"
  /** Creates and updates answer 400 whatever the body (the sandbox has still acted). */
  | "rejects-valid"
  /** Every 400 becomes a 200: invalid requests look accepted. */
  | "accepts-invalid"
  /** Every 401 becomes a 200. */
  | "ignores-auth"
  /** A request without a required header (app id, consumer id, clientId) gets a 200. */
  | "ignores-required-header"
  /** A get of a deleted record answers 200 with it, as if the delete kept it. */
  | "keeps-deleted"
  /** Create answers an id that was never stored. */
  | "loses-created";

export interface SuiteSandboxOptions {
  breaks?: Break | undefined;
  /** Refuse (401) every credential but these: for runs that check credential values (live mode). */
  requireCredentials?: Credentials | undefined;
}

/** A sandbox on 127.0.0.1 with every request it received, whose break can change between cases. */
export type SuiteSandbox = RunningSandbox & {
  requests: SandboxRequest[];
  setBreak(breaks: Break | undefined): void;
};

const REQUIRED_HEADERS: Record<Api, string[]> = {
  apideck: ["x-apideck-app-id", "x-apideck-consumer-id"],
  deskero: ["clientid"],
};

const pathOf = (request: SandboxRequest) => new URL(request.url, "http://sandbox").pathname;

/** The id of a single-customer GET (`customersOne`, `getCustomer`), or undefined. */
function getOneId(api: Api, request: SandboxRequest): string | undefined {
  if (request.method !== "GET") return undefined;
  const pattern = api === "apideck" ? /^\/customer-support\/customers\/([^/]+)$/ : /^\/customer\/([^/]+)$/;
  const id = pattern.exec(pathOf(request))?.[1];
  return id === "list" ? undefined : id && decodeURIComponent(id);
}

const isCreate = (api: Api, request: SandboxRequest) =>
  request.method === "POST" &&
  pathOf(request) === (api === "apideck" ? "/customer-support/customers" : "/customer/insert");

const isUpdate = (api: Api, request: SandboxRequest) =>
  api === "apideck"
    ? request.method === "PATCH" || /[?&]_method=patch/i.test(request.url)
    : request.method === "PUT";

const withJson = (
  answer: SandboxAnswer,
  change: (body: Record<string, unknown>) => unknown,
): SandboxAnswer => ({
  ...answer,
  body: JSON.stringify(change(JSON.parse(answer.body ?? "{}"))),
});

function errorAnswer(api: Api, answer: SandboxAnswer, status: number, message: string): SandboxAnswer {
  const body =
    api === "apideck"
      ? { status_code: status, error: message, type_name: "RequestValidationError", message, detail: message }
      : { error: "bad_request", error_description: message };
  return {
    status,
    headers: { ...answer.headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

/** A rewrite that breaks one check class; `deleted` is its memory for `keeps-deleted`. */
function breakAnswer(
  api: Api,
  breaks: Break,
  answer: SandboxAnswer,
  request: SandboxRequest,
  deleted: Set<string>,
): SandboxAnswer {
  const oneId = getOneId(api, request);
  const found = oneId !== undefined && answer.status === 200;
  switch (breaks) {
    case "wrong-type":
      if (!found) return answer;
      return api === "apideck"
        ? withJson(answer, (b) => ({ ...b, data: { ...(b.data as object), id: Number(oneId) || 1 } }))
        : withJson(answer, (b) => ({ ...b, birthDate: "1967-09-10" }));
    case "missing-envelope-field":
      if (!found) return answer;
      return withJson(answer, (body) => {
        const { [api === "apideck" ? "service" : "id"]: _, ...rest } = body;
        return rest;
      });
    case "unknown-enum":
      if (!found) return answer;
      return api === "apideck"
        ? withJson(answer, (b) => ({
            ...b,
            data: { ...(b.data as object), status: "suspended", currency: "XQQ" },
          }))
        : withJson(answer, (b) => ({ ...b, language: "de" }));
    case "server-error":
      return found ? errorAnswer(api, answer, 500, "injected server error") : answer;
    case "undocumented-status":
      return found ? { ...answer, status: 418 } : answer;
    case "wrong-content-type":
      return found ? { ...answer, headers: { ...answer.headers, "content-type": "text/plain" } } : answer;
    case "no-request-id": {
      const { "request-id": _, ...headers } = answer.headers;
      return { ...answer, headers };
    }
    case "rejects-valid":
      return (isCreate(api, request) || isUpdate(api, request)) && answer.status < 300
        ? errorAnswer(api, answer, 400, "refused")
        : answer;
    case "accepts-invalid":
      return answer.status === 400 ? { ...answer, status: 200 } : answer;
    case "ignores-auth":
      return answer.status === 401 ? { ...answer, status: 200 } : answer;
    case "ignores-required-header": {
      const missing = REQUIRED_HEADERS[api].some((name) => !request.headers[name]);
      return missing && answer.status >= 400 && answer.status < 500 ? { ...answer, status: 200 } : answer;
    }
    case "keeps-deleted": {
      if (request.method === "DELETE" && answer.status === 200)
        deleted.add(pathOf(request).split("/").pop() ?? "");
      if (oneId === undefined || !deleted.has(oneId) || answer.status === 200) return answer;
      const record = { id: oneId };
      const body =
        api === "apideck"
          ? {
              status_code: 200,
              status: "OK",
              service: "sandbox",
              resource: "customers",
              operation: "one",
              data: record,
            }
          : record;
      return {
        status: 200,
        headers: { ...answer.headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      };
    }
    case "loses-created":
      if (!isCreate(api, request) || answer.status !== 201) return answer;
      return api === "apideck"
        ? withJson(answer, (b) => ({ ...b, data: { id: "999999999999" } }))
        : withJson(answer, () => ({ id: "0123456789abcdef01234567" }));
  }
}

/** 401 for any credential but the given ones (Deskero: the API token, the access token, or a token it issued). */
function credentialCheck(api: Api, credentials: Credentials) {
  const issued = new Set<string>(credentials.deskero.accessToken ? [credentials.deskero.accessToken] : []);
  return (answer: SandboxAnswer, request: SandboxRequest): SandboxAnswer => {
    if (answer.status === 401) return answer;
    const auth = request.headers.authorization;
    let accepted: boolean;
    if (api === "apideck") accepted = auth === `Bearer ${credentials.apideck.apiKey}`;
    else if (pathOf(request) === "/oauth/token") {
      accepted = auth === `Basic ${credentials.deskero.apiToken}`;
      if (accepted && answer.status === 200) issued.add(JSON.parse(answer.body ?? "{}").access_token);
    } else accepted = typeof auth === "string" && issued.has(auth.replace(/^Bearer /, ""));
    if (accepted) return answer;
    const body =
      api === "apideck"
        ? { status_code: 401, error: "Unauthorized", type_name: "UnauthorizedError", message: "Unauthorized" }
        : { error: "invalid_token", error_description: "wrong credentials" };
    return {
      status: 401,
      headers: { ...answer.headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    };
  };
}

/** Starts a sandbox of `api` for the suite: seeded with 30 customers (two Deskero pages), no faults. */
export async function startSuiteSandbox(api: Api, options: SuiteSandboxOptions = {}): Promise<SuiteSandbox> {
  let breaks = options.breaks;
  const requests: SandboxRequest[] = [];
  const deleted = new Set<string>();
  const check = options.requireCredentials && credentialCheck(api, options.requireCredentials);
  const sandbox = await startSandbox(api, {
    customers: 30,
    seed: 1,
    rewrite: (answer, request) => {
      requests.push(request);
      const checked = check ? check(answer, request) : answer;
      return breaks ? breakAnswer(api, breaks, checked, request, deleted) : checked;
    },
  });
  return Object.assign(sandbox, {
    requests,
    setBreak: (b: Break | undefined) => {
      breaks = b;
    },
  });
}
