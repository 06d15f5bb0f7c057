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
export type {
  ApideckCustomerSupport,
  ApideckCustomers,
  ApideckOptions,
  ApideckPaths,
  ApideckRequestOptions,
  CreateOptions,
  CustomerPage,
  CustomerResult,
  GetParams,
  IterateParams,
  ListParams,
  WriteResult,
} from "./api.js";
export { createApideckCustomerSupport } from "./client.js";
export { ApideckError, type ApideckErrorType } from "./errors.js";
export { customerReadOnlyFields } from "./generated/read-only.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { Currency, Customer, CustomerInput, CustomerStatus, ErrorTypeName } from "./types.js";
