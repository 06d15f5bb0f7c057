// @cskit/http/internal: not a public API (see README.md in this folder).
export { timeoutError } from "./send/deadline.js";
export { codingsOf, declaresNoBody, decodeBody, decodeText, MAX_CODINGS, TOO_LARGE } from "./send/decode.js";
export { fetchSender } from "./send/fetch-sender.js";
export { nodeSender } from "./send/node-sender.js";
export { fetchIsUntouched, type SenderChoice, senderPicker } from "./send/pick.js";
export { answerChecks } from "./send/refuse.js";
export { abortError, badHeaderError, headerValueFits, refuseRequest } from "./send/request-checks.js";
export { onNode } from "./send/runtime.js";
export type { Sender, SendLimits } from "./send/sender.js";
