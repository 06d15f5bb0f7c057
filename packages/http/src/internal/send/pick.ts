// Which sender carries a request: undici's dispatcher with an Agent of our own only on Node, and
// only while nothing was configured for fetch (a dispatcher, a proxy, a replaced fetch); fetch
// everywhere else. Imported as `#pick`: a bundle for elsewhere than Node gets pick-fetch.ts
// instead (package.json `imports`).

import { dispatchersAreNodes, rememberNodeDispatchers } from "#node-dispatchers";
import type { AnyRequest } from "../../plain-request.js";
import { isPlain } from "../../plain-request.js";
import { fetchSender } from "./fetch-sender.js";
import { onNode } from "./runtime.js";
import type { Sender } from "./sender.js";
import { undiciSender } from "./undici-sender.js";

/** `auto`: our own undici Agent while fetch is untouched (Node only), else fetch. */
export type SenderChoice = "auto" | "fetch" | "node";

const FETCH_AT_LOAD = globalThis.fetch;

/**
 * NODE_USE_ENV_PROXY, or --use-env-proxy on the command line or in NODE_OPTIONS: fetch goes
 * through a proxy. Node reads them as it starts; checked when a client is made.
 */
function envProxy(): boolean {
  const { env, execArgv } = globalThis.process;
  const flag = "--use-env-proxy";
  return Boolean(env.NODE_USE_ENV_PROXY || execArgv?.includes(flag) || env.NODE_OPTIONS?.includes(flag));
}

/** True while the global fetch and its dispatchers are still Node's own, untouched. */
export function fetchIsUntouched(): boolean {
  return dispatchersAreNodes() && globalThis.fetch === FETCH_AT_LOAD;
}

/** Our Agent carries plain requests with a string body or none; anything else goes through fetch. */
const nodeCanCarry = (request: AnyRequest): boolean =>
  isPlain(request) && (request.body === null || typeof request.body === "string");

/**
 * The sender of each request of one client. The `auto` choice is checked again at every call (an
 * identity compare), so a dispatcher set after the client was made is honoured.
 */
export function senderPicker(
  choice: SenderChoice | undefined,
  fetch: Parameters<typeof fetchSender>[0],
): (request: AnyRequest) => Sender {
  if (choice === "node" && !onNode()) throw new TypeError('sender "node" needs Node');
  const viaFetch = fetchSender(fetch);
  const viaNode = undiciSender;
  if (choice === "fetch" || fetch !== undefined || !onNode()) return () => viaFetch;
  if (choice === "node") return (request) => (nodeCanCarry(request) ? viaNode : viaFetch);
  rememberNodeDispatchers();
  if (envProxy()) return () => viaFetch;
  return (request) => (nodeCanCarry(request) && fetchIsUntouched() ? viaNode : viaFetch);
}
