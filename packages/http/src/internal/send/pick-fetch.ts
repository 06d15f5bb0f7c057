// What `#pick` is outside Node (package.json `imports`): fetch carries every call.
import type { AnyRequest } from "../../plain-request.js";
import { fetchSender } from "./fetch-sender.js";
import type { SenderChoice } from "./pick.js";
import type { Sender } from "./sender.js";

export const fetchIsUntouched = (): boolean => false;

export function senderPicker(
  choice: SenderChoice | undefined,
  fetch: Parameters<typeof fetchSender>[0],
): (request: AnyRequest) => Sender {
  if (choice === "node") throw new TypeError('sender "node" needs Node');
  const viaFetch = fetchSender(fetch);
  return () => viaFetch;
}
