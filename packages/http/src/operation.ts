/**
 * The operation a request is, for latencies: method and path, ids replaced by `:id` (a segment
 * with a digit, or longer than 24 characters), no query. `GET /customers/c_123?x=1` → `GET /customers/:id`.
 */
export function operationOf(method: string, url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {}
  const segments = path.split("/").map((s) => (/\d/.test(s) || s.length > 24 ? ":id" : s));
  return `${method} ${segments.join("/")}`;
}
