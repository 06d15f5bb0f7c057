// @cskit/http/internal: not a public API (see README.md in this folder).

export { fetchIsUntouched, senderPicker } from "#pick";
export { onAbort } from "../abort-listeners.js";
export { brandError } from "../errors.js";
export { systemScheduler } from "../scheduler.js";
export { csvField, csvLine } from "./csv.js";
export { type JsonRead, MAX_JSON_DEPTH, nestedDeeperThan, readJson } from "./json.js";
export { timeoutError } from "./send/deadline.js";
export { codingsOf, declaresNoBody, decodeText, MAX_CODINGS } from "./send/decode.js";
export { fetchSender } from "./send/fetch-sender.js";
export type { SenderChoice } from "./send/pick.js";
export { answerChecks } from "./send/refuse.js";
export { abortError, badHeaderError, headerValueFits, refuseRequest } from "./send/request-checks.js";
export { onNode } from "./send/runtime.js";
export type { Sender, SendLimits } from "./send/sender.js";
