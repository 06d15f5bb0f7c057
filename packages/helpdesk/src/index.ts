export type {
  CallOptions,
  Capabilities,
  CreateOptions,
  Helpdesk,
  HelpdeskCustomers,
  IterateOptions,
  Provider,
  Remote,
  RemoteData,
  UnifiedCustomer,
  UnifiedCustomerInput,
  WriteOutcome,
} from "./types.js";
