// @cskit/http: the public face (errors, their classification, the options users pass, the traffic
// policy). What cskit's own packages share beyond it is in `@cskit/http/internal`.

// Loading the root remembers Node's own fetch dispatchers (read-response.ts does it as it loads),
// as it did when the root exported the transport: an app that imports @cskit/http first keeps the
// sender of its own (README, "How calls go out").
import "./read-response.js";

export { classifyError, type ErrorClass, hadNoEffect, isRetryable } from "./classify.js";
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
export type { FailedAnswer } from "./response.js";
export type { TrafficScheduler } from "./scheduler.js";
export { type Ask, type Outcome, type TrafficEvent, type TrafficOptions, TrafficPolicy } from "./traffic.js";
export type { BaseFetch, ClientOptions, RequestOptions, RetryOptions } from "./transport.js";
