import type { ApideckOptions } from "@cskit/apideck-customer-support";
import type { DeskeroOptions } from "@cskit/deskero";
import { apideckHelpdesk } from "./apideck.js";
import { deskeroHelpdesk } from "./deskero.js";
import { PROVIDERS } from "./providers.js";
import type { Helpdesk } from "./types.js";

/** Deskero: your `clientId`, and an `apiToken` (exchanged for a bearer token) or an `accessToken`. */
export type DeskeroHelpdeskOptions = { provider: "deskero" } & Omit<
  DeskeroOptions,
  "apiToken" | "accessToken"
> &
  (
    | { apiToken: string; accessToken?: string | undefined }
    | { accessToken: string; apiToken?: string | undefined }
  );

/** Apideck: `apiKey`, `appId`, `consumerId`, and `serviceId` when the consumer has several connectors. */
export type ApideckHelpdeskOptions = { provider: "apideck" } & ApideckOptions;

export type HelpdeskOptions = DeskeroHelpdeskOptions | ApideckHelpdeskOptions;

/**
 * One helpdesk behind the `Helpdesk` interface. The options other than `provider` go to the
 * provider's client as they are: `baseUrl`, `retry`, `timeoutMs`, `debug`, `fetch`, ...
 */
export function createHelpdesk(options: HelpdeskOptions): Helpdesk {
  const { provider, ...client } = options;
  if (provider === "deskero")
    return { ...deskeroHelpdesk(client as DeskeroOptions), account: accountOf(options) };
  if (provider === "apideck")
    return { ...apideckHelpdesk(client as ApideckOptions), account: accountOf(options) };
  throw new TypeError(
    `createHelpdesk: unknown provider ${JSON.stringify(provider)}; use ${PROVIDERS.map((p) => JSON.stringify(p)).join(" or ")}`,
  );
}

const DEFAULT_BASE_URL = { apideck: "https://unify.apideck.com", deskero: "https://api.deskero.com" };

/** The provider, base URL and account ids of a helpdesk: who it is, with no credential in it. */
function accountOf(options: HelpdeskOptions): string {
  const base = (options.baseUrl ?? DEFAULT_BASE_URL[options.provider]).replace(/\/+$/, "");
  if (options.provider === "deskero") return `deskero ${base} client=${options.clientId}`;
  const service = options.serviceId ? ` service=${options.serviceId}` : "";
  return `apideck ${base} app=${options.appId} consumer=${options.consumerId}${service}`;
}
