import { loadDotEnv as load } from "@cskit/helpdesk";
import { forTerminal } from "./json.js";

/**
 * Reads `.env` in `dir` into `env` (@cskit/helpdesk's loadDotEnv: APIDECK_* and DESKERO_* only,
 * nothing overridden), says on stderr which names it ignored and which values a `#` cut (the key,
 * never the value), and returns the names it set.
 */
export function loadDotEnv(
  env: NodeJS.ProcessEnv,
  dir: string,
  warn: (line: string) => void = (line) => process.stderr.write(line),
): Set<string> {
  const { set, ignored, cut } = load(env, dir);
  for (const key of cut) {
    warn(
      `cskit: .env: the value of ${key} is cut at "#" (an unquoted # starts a comment: quote the value, ${key}="...")\n`,
    );
  }
  if (ignored.length > 0) {
    const names = ignored.slice(0, 5).join(", ") + (ignored.length > 5 ? ", ..." : "");
    warn(`cskit: .env: ignored ${forTerminal(names)} (cskit reads only APIDECK_* and DESKERO_* from .env)\n`);
  }
  return set;
}
