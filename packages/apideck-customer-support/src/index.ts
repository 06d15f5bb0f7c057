export {
  AbortError,
  ConnectionError,
  CskitError,
  classifyError,
  type ErrorClass,
  hadNoEffect,
  isNotFound,
  isRetryable,
  PaginationError,
  RedirectError,
  type RequestOptions,
  ResponseTooLargeError,
  type RetryOptions,
  TimeoutError,
  type TrafficEvent,
  type TrafficOptions,
  TrafficPolicy,
} from "@cskit/http";
export {
  type ApideckCustomerSupport,
  type ApideckOptions,
  type ApideckPaths,
  type ApideckRequestOptions,
  type CreateOptions,
  type CustomerPage,
  type CustomerResult,
  createApideckCustomerSupport,
  type GetParams,
  type IterateParams,
  type ListParams,
  type WriteResult,
} from "./client.js";
export { ApideckError, type ApideckErrorType } from "./errors.js";
export { customerReadOnlyFields } from "./generated/read-only.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { Currency, Customer, CustomerInput, CustomerStatus, ErrorTypeName } from "./types.js";
