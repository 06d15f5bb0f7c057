// Node's own undici global dispatchers, told apart from anyone else's by identity. Node sets them
// the first time anything touches fetch or one of its globals (Headers, Response, ...), and
// never again: a later change is someone else's (setGlobalDispatcher, a MockAgent, a proxy).
import { onNode } from "./runtime.js";

/** Where undici keeps the global dispatcher: `.1`, and on Node 24 and later also `.2`. */
const FIRST = Symbol.for("undici.globalDispatcher.1");
const SECOND = Symbol.for("undici.globalDispatcher.2");
const slots = globalThis as unknown as Record<symbol, unknown>;

/** The dispatchers as Node made them; null when they cannot be known. */
let nodeMade: [unknown, unknown] | null | undefined;

/**
 * Makes Node set its dispatchers now, and remembers them. Called before this package touches a
 * fetch global. When they were set already, Node's cannot be told from a user's: null, for good.
 */
export function rememberNodeDispatchers(): void {
  if (nodeMade !== undefined) return;
  nodeMade = null;
  if (!onNode()) return;
  if (slots[FIRST] !== undefined || slots[SECOND] !== undefined) return;
  if (typeof globalThis.Headers !== "function") return; // loads undici, which sets them
  if (slots[FIRST] !== undefined || slots[SECOND] !== undefined) nodeMade = [slots[FIRST], slots[SECOND]];
}

/** True while the global dispatchers are still the very ones Node made (false when unknown). */
export function dispatchersAreNodes(): boolean {
  const made = nodeMade;
  return !!made && slots[FIRST] === made[0] && slots[SECOND] === made[1];
}
