// A user's own script: both cskit clients through workspace imports.
//   pnpm --filter @cskit/example start        against local Prism mocks of our specs (no credentials)
//   APIDECK_BASE_URL=... DESKERO_BASE_URL=... (and the credentials) to call other servers
import { createApideckCustomerSupport, isNotFound } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { type Api, type RunningPrism, specPath, startPrism } from "@cskit/prism";

const env = process.env;
const mocks: RunningPrism[] = [];

/** The base URL from the environment, or a Prism mock of our spec started for this run. */
async function baseUrl(api: Api, variable: string): Promise<string> {
  const url = env[variable];
  if (url) return url;
  const mock = await startPrism(specPath(api));
  mocks.push(mock);
  return mock.url;
}

try {
  // A mock accepts any credentials; a real API needs yours.
  const cs = createApideckCustomerSupport({
    apiKey: env.APIDECK_API_KEY ?? "mock",
    appId: env.APIDECK_APP_ID ?? "mock",
    consumerId: env.APIDECK_CONSUMER_ID ?? "mock",
    baseUrl: await baseUrl("apideck", "APIDECK_BASE_URL"),
  });
  const page = await cs.customers.list({ limit: 20 });
  for (const customer of page.data) console.log(`apideck customer ${customer.id}`);
  try {
    await cs.customers.get("no-such-id");
  } catch (error) {
    if (!isNotFound(error)) throw error; // typed errors: CskitError, ApideckError, ...
  }

  const dk = createDeskeroClient({
    clientId: env.DESKERO_CLIENT_ID ?? "mock",
    accessToken: env.DESKERO_ACCESS_TOKEN ?? "mock",
    baseUrl: await baseUrl("deskero", "DESKERO_BASE_URL"),
  });
  const { id } = await dk.customers.create({ name: "Customer Name", email: "customer@email.com" });
  console.log(`deskero created ${id}`);
} finally {
  await Promise.all(mocks.map((mock) => mock.stop()));
}
