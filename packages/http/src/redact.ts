/** What a server may slip into an echoed secret so that a plain search misses it. */
const FILLER = "[\\s\\p{Cc}\\p{Cf}]*";

/**
 * What base64 of any text holding `secret` contains, for each of the 3 byte offsets (mod 3) the
 * secret can start at: the 4-character groups made of the secret's bytes only.
 */
function base64Cores(secret: string): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const bytes = new TextEncoder().encode("x".repeat(shift) + secret);
    const encoded = btoa(String.fromCharCode(...bytes));
    const first = Math.ceil(shift / 3);
    const last = Math.floor(bytes.length / 3); // groups before this one are complete
    const core = encoded.slice(first * 4, last * 4);
    if (core.length >= 8) cores.push(core);
  }
  return cores;
}

/**
 * Removes secrets from text before it reaches a log line or an error message.
 * Holds every credential a client knows, including tokens it fetches later.
 */
export class Redactor {
  readonly #patterns: RegExp[] = [];
  /** The longest text a secret can take in any of its forms (URL-encoding triples it). */
  longest = 0;

  constructor(secrets: ReadonlyArray<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /**
   * Adds a secret: as given (even split by spaces or control characters), as base64 (a Basic
   * header, or base64 of any text that holds it), and URL-encoded (either case of hex). Ignores very
   * short values, which would mangle text.
   */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const loose = [...secret].map(literal).join(FILLER);
    const forms = [loose, ...base64Cores(secret).map(literal)];
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret)
      forms.push(literal(encoded).replace(/%[0-9A-F]{2}/g, (h) => `(?:${h}|${h.toLowerCase()})`));
    this.#patterns.push(new RegExp(forms.join("|"), "gu"));
    this.longest = Math.max(this.longest, encoded.length, secret.length * 2);
  }

  redact(text: string): string {
    let out = text;
    for (const pattern of this.#patterns) out = out.replace(pattern, "[redacted]");
    return out;
  }
}
