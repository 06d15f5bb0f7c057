import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { decodeText } from "./input.js";
import { forTerminal } from "./json.js";

/** What `.env` may set: cskit's own variables. Not NODE_OPTIONS, NODE_TLS_REJECT_UNAUTHORIZED, PATH... */
const OURS = /^(APIDECK|DESKERO)_[A-Z0-9_]+$/;

/**
 * Reads `.env` in `dir` with Node's own parser (quotes, escapes, `export`, inline comments), without
 * overriding what the environment already has. Only APIDECK_* and DESKERO_* are taken: a `.env`
 * in the current folder must not turn off TLS checks or load code. Returns the names it set, and
 * says on stderr which it ignored.
 */
export function loadDotEnv(
  env: NodeJS.ProcessEnv,
  dir: string,
  warn: (line: string) => void = (line) => process.stderr.write(line),
): Set<string> {
  const set = new Set<string>();
  let text: string;
  try {
    text = decodeText(readFileSync(join(dir, ".env")));
  } catch {
    return set;
  }
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (!OURS.test(key)) ignored.push(key);
    else if (env[key] === undefined) {
      env[key] = value;
      set.add(key);
    }
  }
  if (ignored.length > 0) {
    const names = ignored.slice(0, 5).join(", ") + (ignored.length > 5 ? ", ..." : "");
    warn(`cskit: .env: ignored ${forTerminal(names)} (cskit reads only APIDECK_* and DESKERO_* from .env)\n`);
  }
  return set;
}
