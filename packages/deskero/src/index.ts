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
  CustomerPage,
  CustomerResult,
  DeskeroClient,
  DeskeroCustomers,
  DeskeroOptions,
  DeskeroPaths,
  IterateParams,
  PageParams,
  WriteResult,
} from "./api.js";
export { createDeskeroClient, PAGES_AHEAD } from "./client.js";
export { DeskeroError } from "./errors.js";
export { customerReadOnlyFields } from "./generated/read-only.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { Customer, CustomerInput, CustomerList, CustomerSearch, Language } from "./types.js";
