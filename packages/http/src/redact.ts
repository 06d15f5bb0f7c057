/**
 * Removes secrets from text before it reaches a log line or an error message.
 * Holds every credential a client knows, including tokens it fetches later.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  constructor(secrets: ReadonlyArray<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Adds a secret, its Basic-auth and its URL-encoded forms. Ignores very short values, which would mangle text. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    this.#secrets.add(secret);
    this.#secrets.add(btoa(unescape(encodeURIComponent(secret))));
    this.#secrets.add(encodeURIComponent(secret));
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  }
}
