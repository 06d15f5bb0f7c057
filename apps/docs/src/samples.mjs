// How to call each operation of our specs with cskit: the typed client, @cskit/helpdesk where it
// has the operation, and the `cskit` CLI. The build adds them to a copy of each spec as
// x-codeSamples; test/samples.test.mjs type-checks every TypeScript sample against the built
// packages and runs every CLI sample against a sandbox, so a rename fails the build.

/** The names a TypeScript sample may use without defining them: the user's own credentials. */
export const SAMPLE_GLOBALS = {
  apideck: ["apiKey", "appId", "consumerId"],
  deskero: ["clientId", "apiToken"],
};

const APIDECK_CLIENT = `import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";

const apideck = createApideckCustomerSupport({
  apiKey,
  appId,
  consumerId,
});`;

const DESKERO_CLIENT = `import { createDeskeroClient } from "@cskit/deskero";

// Your API token is exchanged for a bearer token
// (GET /oauth/token) on the first call, then renewed.
const deskero = createDeskeroClient({ clientId, apiToken });`;

const HELPDESK = {
  apideck: `import { createHelpdesk } from "@cskit/helpdesk";

const hd = createHelpdesk({
  provider: "apideck",
  apiKey,
  appId,
  consumerId,
});`,
  deskero: `import { createHelpdesk } from "@cskit/helpdesk";

const hd = createHelpdesk({ provider: "deskero", clientId, apiToken });`,
};

const CREDENTIALS = {
  apideck: "APIDECK_API_KEY, APIDECK_APP_ID and APIDECK_CONSUMER_ID",
  deskero: "DESKERO_CLIENT_ID and DESKERO_API_TOKEN",
};

// Ids that exist in a sandbox seeded with its defaults (seed 1), so the CLI samples run as shown.
const APIDECK_ID = "515497807350";
const DESKERO_ID = "6f9a2e7b3e665e6a3e3a84da";

/**
 * Per API and operationId: `client` and `helpdesk` are TypeScript, written after the setup lines of
 * each; `cli` is the argument list of one `cskit` command (without --sandbox).
 */
const CALLS = {
  apideck: {
    customersAll: {
      client: `const page = await apideck.customers.list({ limit: 20 });
for (const customer of page.data) {
  console.log(customer.id, customer.first_name, customer.last_name);
}
const next = page.meta?.cursors?.next; // the \`cursor\` of the next page

// Or every page, lazily, one page in memory at a time:
for await (const customer of apideck.customers.iterate()) {
  console.log(customer.id);
}`,
      helpdesk: `const { items, next } = await hd.customers.list({ limit: 20 });
for (const customer of items) {
  console.log(customer.id, customer.emails?.[0]?.email);
}
// next: the cursor of the following page (null on the last one)`,
      cli: ["apideck", "customers", "list", "--limit", "20"],
    },
    customersAdd: {
      client: `const { id } = await apideck.customers.create(
  {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: [{ email: "ada@example.com" }],
  },
  // X-Unique-Transaction-ID: the same on every retry
  { idempotencyKey: "signup-42" },
);`,
      helpdesk: `const { id, dropped } = await hd.customers.create(
  {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: [{ email: "ada@example.com" }],
  },
  { idempotencyKey: "signup-42" },
);
// dropped: the fields this helpdesk could not hold`,
      cli: [
        "apideck",
        "customers",
        "create",
        "--data",
        '{"first_name":"Ada","last_name":"Lovelace","emails":[{"email":"ada@example.com"}]}',
      ],
    },
    customersOne: {
      client: `const { data } = await apideck.customers.get("${APIDECK_ID}");
console.log(data.first_name, data.status);`,
      helpdesk: `const customer = await hd.customers.get("${APIDECK_ID}");
console.log(customer.first_name);
console.log(customer.remote.data); // the API's own record`,
      cli: ["apideck", "customers", "get", APIDECK_ID],
    },
    customersUpdate: {
      client: `await apideck.customers.update("${APIDECK_ID}", { notes: "VIP" });`,
      helpdesk: `await hd.customers.update("${APIDECK_ID}", { notes: "VIP" });`,
      cli: ["apideck", "customers", "update", APIDECK_ID, "--data", '{"notes":"VIP"}'],
    },
    customersDelete: {
      client: `import { isNotFound } from "@cskit/apideck-customer-support";

await apideck.customers.delete("${APIDECK_ID}");
const gone = await apideck.customers
  .get("${APIDECK_ID}")
  .then(() => false, isNotFound); // true`,
      helpdesk: `await hd.customers.delete("${APIDECK_ID}");`,
      cli: ["apideck", "customers", "delete", APIDECK_ID],
    },
  },
  deskero: {
    getAccessToken: {
      client: `// No call of your own: the client fetches the token before
// its first request, keeps it until shortly before expires_in,
// and fetches a new one after a 401.
const { records } = await deskero.customers.list();

// Or pass a bearer token you already have:
const withToken = createDeskeroClient({
  clientId,
  accessToken: "<bearer token>",
});`,
    },
    listCustomers: {
      client: `// One page (25 customers), from page 1:
const page = await deskero.customers.list({ page: 1 });
for (const customer of page.records) {
  console.log(customer.id, customer.name);
}
// A search, and every page of a search, lazily:
const found = await deskero.customers.search({ name: "Frank Elvgren" });
for await (const customer of deskero.customers.iterate({ city: "London" })) {
  console.log(customer.id);
}`,
      helpdesk: `const { items } = await hd.customers.list({
  where: { name: "Frank Elvgren" },
});
for (const customer of items) {
  console.log(customer.id, customer.first_name, customer.last_name);
}`,
      cli: ["deskero", "customers", "list", "--where", "name=Lena Wagner"],
    },
    getCustomer: {
      client: `const customer = await deskero.customers.get("${DESKERO_ID}");
console.log(customer.name, customer.email);`,
      helpdesk: `const customer = await hd.customers.get("${DESKERO_ID}");
console.log(customer.first_name, customer.last_name);
console.log(customer.remote.data); // the API's own record`,
      cli: ["deskero", "customers", "get", DESKERO_ID],
    },
    insertCustomer: {
      client: `const { id } = await deskero.customers.create({
  name: "Ada Lovelace",
  email: "ada@example.com",
});`,
      helpdesk: `const { id, dropped } = await hd.customers.create({
  first_name: "Ada",
  last_name: "Lovelace",
  emails: [{ email: "ada@example.com" }],
});`,
      cli: ["deskero", "customers", "create", "--data", '{"name":"Ada Lovelace","email":"ada@example.com"}'],
    },
    updateCustomer: {
      client: `await deskero.customers.update("${DESKERO_ID}", {
  phoneNumber: "+44 20 7946 0018",
});`,
      helpdesk: `await hd.customers.update("${DESKERO_ID}", {
  phone_numbers: [{ number: "+44 20 7946 0018" }],
});`,
      cli: ["deskero", "customers", "update", DESKERO_ID, "--data", '{"phoneNumber":"+44 20 7946 0018"}'],
    },
    deleteCustomer: {
      client: `await deskero.customers.delete("${DESKERO_ID}");`,
      helpdesk: `await hd.customers.delete("${DESKERO_ID}");`,
      cli: ["deskero", "customers", "delete", DESKERO_ID],
    },
  },
};

/** A shell word as the user would type it: quoted when it holds anything but safe characters. */
export function shellWord(word) {
  return /^[\w./:=@,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A TypeScript sample whole: its imports first, then the client's setup, then the call. */
function typescript(setup, call) {
  const lines = call.split("\n");
  const imports = lines.filter((line) => line.startsWith("import "));
  const body = lines
    .filter((line) => !line.startsWith("import "))
    .join("\n")
    .trimStart();
  const [setupImports, ...setupRest] = setup.split("\n\n");
  return [[setupImports, ...imports].join("\n"), ...setupRest, body].join("\n\n");
}

/**
 * The samples of one operation, as Redoc's x-codeSamples (`lang`, `label`, `source`), plus
 * `cli` (the command's arguments) on the CLI sample so a test can run it.
 */
export function samplesOf(api, operationId) {
  const calls = CALLS[api]?.[operationId];
  if (!calls)
    throw new Error(`no cskit samples for ${api} ${operationId}: add them to apps/docs/src/samples.mjs`);
  const samples = [
    {
      lang: "TypeScript",
      label: api === "apideck" ? "@cskit/apideck-customer-support" : "@cskit/deskero",
      source: typescript(api === "apideck" ? APIDECK_CLIENT : DESKERO_CLIENT, calls.client),
    },
  ];
  if (calls.helpdesk)
    samples.push({
      lang: "TypeScript",
      label: "@cskit/helpdesk",
      source: typescript(HELPDESK[api], calls.helpdesk),
    });
  if (calls.cli) {
    const command = `cskit ${calls.cli.map(shellWord).join(" ")}`;
    samples.push({
      lang: "Shell",
      label: "cskit CLI",
      source: `# Try it on a local sandbox of the API, with no account:
${command} --sandbox
# Your account: ${CREDENTIALS[api]} in the environment or ./.env
${command}`,
      cli: calls.cli,
    });
  }
  return samples;
}

/** Every operationId that has samples, per API (a test compares it with the specs). */
export const SAMPLED = Object.fromEntries(Object.entries(CALLS).map(([api, ops]) => [api, Object.keys(ops)]));
