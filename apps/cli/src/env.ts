import { loadDotEnv as load } from "@cskit/helpdesk";
import { forTerminal } from "./json.js";

/**
 * Reads `.env` in `dir` into `env` (@cskit/helpdesk's loadDotEnv: APIDECK_* and DESKERO_* only,
 * nothing overridden), says on stderr which names it ignored, and returns the names it set.
 */
export function loadDotEnv(
  env: NodeJS.ProcessEnv,
  dir: string,
  warn: (line: string) => void = (line) => process.stderr.write(line),
): Set<string> {
  const { set, ignored } = load(env, dir);
  if (ignored.length > 0) {
    const names = ignored.slice(0, 5).join(", ") + (ignored.length > 5 ? ", ..." : "");
    warn(`cskit: .env: ignored ${forTerminal(names)} (cskit reads only APIDECK_* and DESKERO_* from .env)\n`);
  }
  return set;
}
