export type { SandboxAnswer, SandboxRequest } from "./answer.js";
export { apideckCustomer } from "./apideck.js";
export { copiesOf } from "./copies.js";
export { deskeroCustomer } from "./deskero.js";
export {
  checkFaults,
  type FaultCounts,
  type Faults,
  FaultsError,
  formatFaults,
  parseFaults,
} from "./faults.js";
export {
  helpdeskOptionsOf,
  type SandboxHelpdeskOptions,
  type SandboxPair,
  type SandboxPairOptions,
  startSandboxPair,
} from "./pair.js";
export { generatePeople, type Person } from "./people.js";
export {
  type Api,
  type CustomerOf,
  createSandbox,
  type HandledRequest,
  IN_PROCESS_URL,
  type RunningSandbox,
  SANDBOX_CREDENTIALS,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "./sandbox.js";
