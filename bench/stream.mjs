// One streaming run in its own process, so that its peak RSS is its own.
//   node --import ./bench/max-rss.mjs bench/stream.mjs <apideck|deskero> <client|export|raw> <baseUrl> <records>
// Prints the number of records read. `export` is `client` writing each record as an NDJSON line to
// /dev/null, as `cskit ... list --all -o ndjson` does: the loop a user would write instead of the CLI.

import { createWriteStream } from "node:fs";
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";

const [api, kind, baseUrl, total] = process.argv.slice(2);
const max = Number(total);
let count = 0;
const out = kind === "export" ? createWriteStream("/dev/null") : undefined;
const written = (customer) => {
  if (!out) return true;
  if (out.write(`${JSON.stringify(customer)}\n`)) return true;
  return new Promise((resolve) => out.once("drain", () => resolve(true)));
};

if (kind !== "raw" && api === "apideck") {
  const cs = createApideckCustomerSupport({ apiKey: "k", appId: "a", consumerId: "c", baseUrl });
  for await (const customer of cs.customers.iterate({ limit: 200, maxItems: max }))
    if (customer.id && (await written(customer))) count++;
} else if (kind !== "raw") {
  const dk = createDeskeroClient({ clientId: "c", accessToken: "t", baseUrl });
  for await (const customer of dk.customers.iterate({}, { maxItems: max }))
    if (customer.id && (await written(customer))) count++;
} else if (api === "apideck") {
  // The baseline: a raw fetch loop that pages the same way.
  let cursor = null;
  do {
    const url = `${baseUrl}/customer-support/customers?limit=200${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await fetch(url, {
      headers: { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" },
    });
    const page = await res.json();
    for (const customer of page.data) if (customer.id && count < max) count++;
    cursor = count < max ? page.meta.cursors.next : null;
  } while (cursor);
} else {
  for (let page = 1; count < max; page++) {
    const res = await fetch(`${baseUrl}/customer/list?page=${page}`, {
      headers: { authorization: "Bearer t", clientId: "c" },
    });
    if (res.status === 204) break;
    const body = await res.json();
    for (const customer of body.customer.records) if (customer.id && count < max) count++;
    if (!body.customer.nextQuery) break;
  }
}
if (out) await new Promise((resolve) => out.end(resolve));
process.stdout.write(`${count}\n`);
