const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** localhost, 127.0.0.0/8 or ::1: nothing sent there leaves the machine. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** Checks a base URL: https, or plain http on loopback only. Returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // Not quoted: a URL that fails to parse may still hold a password.
    throw new TypeError("baseUrl is not a valid URL");
  }
  const loopback = isLoopback(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new TypeError(
      `baseUrl must use https (plain http is allowed on localhost, 127.0.0.0/8 and ::1 only): ${url.origin}`,
    );
  }
  if (url.username || url.password) throw new TypeError("baseUrl must not contain credentials");
  // Paths are appended to the base: a query or fragment (even an empty `?` or `#`) would swallow them.
  if (/[?#]/.test(baseUrl)) throw new TypeError("baseUrl must not have a query or fragment");
  return url.href.replace(/\/+$/, "");
}
