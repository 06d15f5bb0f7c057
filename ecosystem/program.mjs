// The one program every runtime runs (Node, Bun, Deno, workerd): plain ESM importing the installed
// @cskit packages. For each provider: a list through the provider's client, every page through
// `iterate`, a create and a `get` through `createHelpdesk`, the request ids, and the typed errors of
// a customer that does not exist and of a port nobody listens on. Returns what it saw as plain JSON
// values, without the ids and request ids themselves (they change every run): run.mjs compares the
// result exactly.
import {
  ApideckError,
  ConnectionError,
  classifyError,
  createApideckCustomerSupport,
} from "@cskit/apideck-customer-support";
import { createDeskeroClient, DeskeroError } from "@cskit/deskero";
import { CskitError, createHelpdesk, isNotFound } from "@cskit/helpdesk";

const CLIENTS = {
  apideck: { create: createApideckCustomerSupport, ProviderError: ApideckError, items: (page) => page.data },
  deskero: { create: createDeskeroClient, ProviderError: DeskeroError, items: (page) => page.records },
};
const MISSING = "424242";

const isNonEmptyString = (value) => typeof value === "string" && value.trim() !== "";
const failure = (promise) =>
  promise.then(
    () => "no error",
    (error) => error,
  );

async function checkProvider(provider, { baseUrl, credentials }, closedUrl) {
  const { create, ProviderError, items } = CLIENTS[provider];
  const client = create({ ...credentials, baseUrl });
  const page = await client.customers.list();

  let pages = 0;
  let iterated = 0;
  const onPage = () => pages++;
  const all =
    provider === "apideck"
      ? client.customers.iterate({ limit: 20, onPage })
      : client.customers.iterate({}, { onPage }); // Deskero: search filters first; 25 a page, always
  for await (const _ of all) iterated++;

  const helpdesk = createHelpdesk({ provider, ...credentials, baseUrl });
  const created = await helpdesk.customers.create({
    first_name: "Ada",
    last_name: "Lovelace",
    emails: [{ email: "ada@example.com" }],
  });
  const got = await helpdesk.customers.get(created.id);
  let afterCreate = 0;
  for await (const _ of helpdesk.customers.iterate()) afterCreate++;

  const error = await failure(client.customers.get(MISSING));
  const helpdeskError = await failure(helpdesk.customers.get(MISSING));
  // A port nobody listens on: the typed error of a connection that failed, and how it classifies.
  const unreachable = create({ ...credentials, baseUrl: closedUrl, retry: false });
  const refused = await failure(unreachable.customers.list());
  return {
    listed: items(page).length,
    listRequestId: isNonEmptyString(page.requestId),
    iterated,
    pages,
    createdId: isNonEmptyString(created.id),
    createRequestId: isNonEmptyString(created.requestId),
    got: {
      sameId: got.id === created.id,
      name: `${got.first_name} ${got.last_name}`,
      email: got.emails?.[0]?.email,
      provider: got.remote?.provider,
    },
    afterCreate,
    error: {
      providerClass: error instanceof ProviderError,
      cskitClass: error instanceof CskitError,
      name: error?.name,
      status: error?.status,
      notFound: error?.notFound,
      operation: error?.operation,
      requestId: isNonEmptyString(error?.requestId),
    },
    helpdeskNotFound: isNotFound(helpdeskError) && helpdeskError instanceof ProviderError,
    unreachable: {
      connectionClass: refused instanceof ConnectionError,
      cskitClass: refused instanceof CskitError,
      kind: classifyError(refused),
      code: refused?.code ?? null,
    },
  };
}

/** `config`: `{ apideck: { baseUrl, credentials }, deskero: { baseUrl, credentials }, closedUrl }`. */
export async function checkAll(config) {
  const result = { userAgent: globalThis.navigator?.userAgent };
  for (const provider of ["apideck", "deskero"])
    result[provider] = await checkProvider(provider, config[provider], config.closedUrl);
  return result;
}
