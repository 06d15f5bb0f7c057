import { type Api, checkResponse, matchOperation, type ResponseReport } from "./spec.js";

export interface Exchange {
  operationId: string;
  method: string;
  url: string;
  status: number;
  /** Spec violations of the response, and any Prism reported (sl-violations), as "<pointer> <message>". */
  violations: string[];
  /** The same violations, by response check class. */
  checks?: ResponseReport | undefined;
}

/** Prism's sl-violations header, as "<pointer> <message>" lines. */
export function prismViolations(header: string | null): string[] {
  if (!header) return [];
  const list = JSON.parse(header) as { location: string[]; message: string }[];
  return list.map(
    (v) => `/${v.location.slice(2).join("/")} ${v.message} (${v.location.slice(0, 2).join(" ")})`,
  );
}

/**
 * A fetch to give the clients: it asks Prism for a status (`Prefer: code=`) on the operation
 * under test, and validates every response it passes back against the spec.
 */
export function createRecorder(api: Api) {
  const exchanges: Exchange[] = [];
  let preferred: { operationId: string; code: string } | undefined;

  async function recordingFetch(input: string | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const op = matchOperation(api, request.method, new URL(request.url).pathname);
    if (preferred && op?.operationId === preferred.operationId) {
      request.headers.set("Prefer", `code=${preferred.code}`);
    }
    const asked = request.headers.get("Prefer");
    const response = await fetch(request);
    const body = await response.clone().text();
    const violations = prismViolations(response.headers.get("sl-violations"));
    let checks: ResponseReport | undefined;
    if (op) {
      checks = checkResponse(op, response.status, response.headers, body, asked === "code=500");
      violations.push(...Object.values(checks).flat());
    } else violations.push(`/ no operation in the ${api} spec for ${request.method} ${request.url}`);
    exchanges.push({
      operationId: op?.operationId ?? "?",
      method: request.method,
      url: request.url,
      status: response.status,
      violations,
      checks,
    });
    return response;
  }

  return {
    fetch: recordingFetch,
    exchanges,
    /** Ask the mock for `code` (a status, or 500 for `default`) on this operation only. */
    prefer(operationId: string | undefined, code?: string) {
      preferred = operationId && code ? { operationId, code: code === "default" ? "500" : code } : undefined;
    },
    reset() {
      exchanges.length = 0;
      preferred = undefined;
    },
  };
}
export type Recorder = ReturnType<typeof createRecorder>;
