export { ApideckError } from "@cskit/apideck-customer-support";
export { DeskeroError } from "@cskit/deskero";
export {
  AbortError,
  ConnectionError,
  CskitError,
  isNotFound,
  PaginationError,
  TimeoutError,
} from "@cskit/http";
export { PROVIDER_READ_ONLY_FIELDS } from "./carry.js";
export {
  type ApideckHelpdeskOptions,
  createHelpdesk,
  type DeskeroHelpdeskOptions,
  type HelpdeskOptions,
} from "./create.js";
export { loadDotEnv } from "./dotenv.js";
export {
  BASE_URL_VARIABLE,
  createHelpdeskFromEnv,
  DummyCredentialsRefusedError,
  type EnvBaseUrl,
  type EnvConfig,
  EnvironmentError,
  type EnvOptions,
  MissingVariablesError,
  readHelpdeskEnv,
} from "./env.js";
export { joinName, splitName } from "./map-deskero.js";
export {
  fromUnified,
  type Mapped,
  type ProviderInput,
  toUnified,
  toUnifiedInput,
} from "./mapping.js";
export {
  type ListColumn,
  PROVIDER_INFO,
  PROVIDERS,
  type Provider,
  type ProviderInfo,
} from "./providers.js";
export type {
  AnyRemote,
  AnyRemoteInput,
  CallOptions,
  Capabilities,
  CreateOptions,
  GetOptions,
  Helpdesk,
  HelpdeskCustomers,
  IterateOptions,
  ListOptions,
  Remote,
  RemoteData,
  UnifiedCustomer,
  UnifiedCustomerInput,
  UnifiedPage,
  WriteOutcome,
} from "./types.js";
