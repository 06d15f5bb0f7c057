import { readFileSync } from "node:fs";

/** The CLI's own package.json, as published (its version, and the @cskit/prism it pairs with). */
export function cliManifest(): { version: string; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
}
