export { checkBaseUrl, isLoopback } from "./base-url.js";
export { checkHeaderValue, checkId } from "./check.js";
export { classifyError, classifyStatus, type ErrorClass, hadNoEffect, isRetryable } from "./classify.js";
export {
  AbortError,
  ConnectionError,
  CskitError,
  type CskitErrorFields,
  isNotFound,
  PaginationError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  TimeoutError,
} from "./errors.js";
export type { WithDefaultHeaders } from "./headers.js";
export { MAX_EMPTY_PAGES, type Page, type PaginateOptions, paginate } from "./paginate.js";
export { type AnyRequest, PlainRequest } from "./plain-request.js";
export { Redactor } from "./redact.js";
export {
  type FailedAnswer,
  type ParseOptions,
  parseAnswer,
  readRequestId,
  type TextResult,
} from "./response.js";
export { parseRetryAfter } from "./retry-after.js";
export type { TrafficScheduler } from "./scheduler.js";
export {
  type Ask,
  DEFAULT_MAX_CONCURRENCY,
  INITIAL_CONCURRENCY,
  type Outcome,
  type TrafficEvent,
  type TrafficOptions,
  TrafficPolicy,
} from "./traffic.js";
export {
  type BaseFetch,
  type CallLimits,
  type ClientOptions,
  checkClientOptions,
  createTransport,
  DEFAULTS,
  debugLogger,
  type FetchFn,
  perCall,
  type RequestOptions,
  type RetryOptions,
  type TransportOptions,
} from "./transport.js";
export { INVISIBLE, redactValue, untrusted } from "./untrusted.js";
