export { checkBaseUrl } from "./base-url.js";
export {
  AbortError,
  ConnectionError,
  CskitError,
  type CskitErrorFields,
  isNotFound,
  TimeoutError,
} from "./errors.js";
export type { WithDefaultHeaders } from "./headers.js";
export { type Page, type PaginateOptions, paginate } from "./paginate.js";
export { type AnyRequest, PlainRequest } from "./plain-request.js";
export { Redactor } from "./redact.js";
export { type FailedAnswer, parseAnswer, readRequestId, type TextResult } from "./response.js";
export {
  type BaseFetch,
  type ClientOptions,
  createTransport,
  debugLogger,
  type FetchFn,
  parseRetryAfter,
  type RetryOptions,
  type TransportOptions,
} from "./transport.js";
