export {
  AbortError,
  ConnectionError,
  CskitError,
  isNotFound,
  PaginationError,
  RedirectError,
  ResponseTooLargeError,
  type RetryOptions,
  TimeoutError,
} from "@cskit/http";
export {
  type ApideckCustomerSupport,
  type ApideckOptions,
  type ApideckPaths,
  type CallOptions,
  type CustomerPage,
  type CustomerResult,
  createApideckCustomerSupport,
  type IterateOptions,
  type ListOptions,
  type WriteResult,
} from "./client.js";
export { ApideckError, type ApideckErrorType } from "./errors.js";
export { customerReadOnlyFields } from "./generated/read-only.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { Currency, Customer, CustomerInput, CustomerStatus, ErrorTypeName } from "./types.js";
