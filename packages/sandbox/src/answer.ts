import { MAX_JSON_DEPTH, readJson } from "@cskit/http/internal";

/** A request as a sandbox sees it: headers with lower-case names, the body as text. */
export interface SandboxRequest {
  method: string;
  /** A path with its query (`/customer/list?page=2`), or a full URL. */
  url: string;
  headers: { [name: string]: string | string[] | undefined };
  body: string;
}

/** A sandbox's answer. `body` is undefined for 204. */
export interface SandboxAnswer {
  status: number;
  headers: { [name: string]: string };
  body: string | undefined;
}

/** One API's behaviour, without transport or faults. `T` is its customer record. */
export interface ApiModel<T> {
  /** `url` is the request's full URL; its origin is the base of the URLs the answer links to. */
  answer(request: SandboxRequest, url: URL): SandboxAnswer;
  /** The answer to a request refused by an injected fault. */
  refuse(status: 429 | 503): SandboxAnswer;
  size(): number;
  records(): IterableIterator<T>;
}

export function json(status: number, body: unknown, headers: { [name: string]: string } = {}): SandboxAnswer {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export const noContent = (): SandboxAnswer => ({ status: 204, headers: {}, body: undefined });

/** A header's value, the first one if repeated, trimmed; undefined when absent or blank. */
export function headerOf(request: SandboxRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

/** The credentials after `scheme` in the Authorization header, if any (any non-empty value is accepted). */
export function credentials(request: SandboxRequest, scheme: "Bearer" | "Basic"): string | undefined {
  const auth = headerOf(request, "authorization");
  if (!auth || auth.slice(0, scheme.length + 1).toLowerCase() !== `${scheme.toLowerCase()} `)
    return undefined;
  const value = auth.slice(scheme.length + 1).trim();
  return value ? value : undefined;
}

/** The body as a JSON object (at most `MAX_JSON_DEPTH` levels deep), or an error message. */
export function readObject(body: string): { value: { [key: string]: unknown } } | { error: string } {
  const read = readJson(body);
  if (read === undefined) return { error: "the body is not valid JSON" };
  const { value, tooDeep } = read;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { error: "the body must be a JSON object" };
  // Deeper, it could be stored but never listed again: writing it as JSON would overflow the stack.
  if (tooDeep) return { error: `the body nests deeper than ${MAX_JSON_DEPTH} levels` };
  return { value: value as { [key: string]: unknown } };
}

/** A path segment, percent-decoded; as sent when it is not valid percent-encoding. */
export function pathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
