// @cskit/http/internal: not a public API (see README.md in this folder). What cskit's own packages
// share: only names some package outside @cskit/http imports.

export { onAbort } from "../abort-listeners.js";
export { checkBaseUrl, isLoopback } from "../base-url.js";
export { checkHeaderValue, checkId } from "../check.js";
export { brandError } from "../errors.js";
export { paginate } from "../paginate.js";
export { PlainRequest } from "../plain-request.js";
export { Redactor } from "../redact.js";
export { parseAnswer, type TextResult } from "../response.js";
export { createTransport, DEFAULTS, debugLogger, perCall } from "../transport.js";
export { INVISIBLE, untrusted } from "../untrusted.js";
export {
  type AnswerRules,
  type CheckedAnswer,
  checkedAnswer,
  isJsonObject,
  type ShapeCheck,
  unexpectedAnswer,
} from "./checked-answer.js";
export { csvField, csvLine } from "./csv.js";
export { type JsonRead, MAX_JSON_DEPTH, nestedDeeperThan, readJson } from "./json.js";
