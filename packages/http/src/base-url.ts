const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Checks a base URL: https, or plain http on loopback only. Returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl is not a valid URL: ${JSON.stringify(baseUrl)}`);
  }
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new TypeError(
      `baseUrl must use https (plain http is allowed on localhost, 127.0.0.0/8 and ::1 only): ${url.origin}`,
    );
  }
  if (url.username || url.password) throw new TypeError("baseUrl must not contain credentials");
  return url.href.replace(/\/+$/, "");
}
