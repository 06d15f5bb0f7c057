import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * Reads `.env` in `dir` with Node's own parser (quotes, escapes, `export`, inline comments), without
 * overriding what the environment already has. Returns the names it set.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv, dir: string): Set<string> {
  const set = new Set<string>();
  let text: string;
  try {
    text = readFileSync(join(dir, ".env"), "utf8");
  } catch {
    return set;
  }
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (env[key] === undefined) {
      env[key] = value;
      set.add(key);
    }
  }
  return set;
}
