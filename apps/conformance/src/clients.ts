// The typed clients every check drives, pointed at any server: a Prism mock or proxy, a sandbox, a live API.
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import type { Clients } from "./cases.js";
import type { Recorder } from "./recorder.js";
import type { RawCredentials } from "./requests.js";

/** Credentials the suite uses against mocks and sandboxes (which accept any). */
export const CREDENTIALS = {
  apideck: { apiKey: "conformance-key", appId: "conformance-app", consumerId: "conformance-consumer" },
  deskero: {
    accessToken: "conformance-token",
    apiToken: "conformance-api-token",
    clientId: "conformance-client",
  },
};
export type Credentials = {
  apideck: typeof CREDENTIALS.apideck & { serviceId?: string | undefined };
  deskero: { clientId: string; accessToken?: string | undefined; apiToken?: string | undefined };
};

export interface Targets {
  apideck: string;
  deskero: string;
}

/** Both typed clients on these base URLs, every call going through the recorders. */
export function createClients(
  urls: Targets,
  recorders: { apideck: Recorder; deskero: Recorder },
  credentials: Credentials = CREDENTIALS,
): Clients {
  const deskero = (auth: { accessToken?: string | undefined; apiToken?: string | undefined }) =>
    createDeskeroClient({
      clientId: credentials.deskero.clientId,
      ...auth,
      baseUrl: urls.deskero,
      fetch: recorders.deskero.fetch,
      retry: false,
    });
  const { accessToken, apiToken } = credentials.deskero;
  return {
    apideck: createApideckCustomerSupport({
      ...credentials.apideck,
      baseUrl: urls.apideck,
      fetch: recorders.apideck.fetch,
      retry: false,
    }),
    deskero: deskero(accessToken ? { accessToken } : { apiToken }),
    deskeroByApiToken: (token = apiToken) => deskero({ apiToken: token }),
  };
}

/** The same credentials as raw header values, for the request checks (src/requests.ts). */
export function rawCredentials(api: keyof Targets, credentials: Credentials = CREDENTIALS): RawCredentials {
  if (api === "apideck") {
    const { apiKey, appId, consumerId } = credentials.apideck;
    return {
      schemes: { apiKey: `Bearer ${apiKey}` },
      headers: { "x-apideck-app-id": appId, "x-apideck-consumer-id": consumerId },
    };
  }
  const { accessToken, apiToken, clientId } = credentials.deskero;
  const schemes: Record<string, string> = {};
  if (accessToken) schemes.bearer = `Bearer ${accessToken}`;
  if (apiToken) schemes.apiToken = `Basic ${apiToken}`;
  return { schemes, headers: { clientId } };
}
