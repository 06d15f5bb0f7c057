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
  type CallOptions,
  type CustomerPage,
  type CustomerResult,
  createDeskeroClient,
  type DeskeroClient,
  type DeskeroOptions,
  type DeskeroPaths,
  type IterateOptions,
  type PageOptions,
  type WriteResult,
} from "./client.js";
export { DeskeroError } from "./errors.js";
export { customerReadOnlyFields } from "./generated/read-only.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { Customer, CustomerInput, CustomerList, CustomerSearch, Language } from "./types.js";
