// One field export in its own process, against a sandbox with latency and a rate limit.
//   node bench/field-child.mjs <raw|iterate> <deskero base URL>
// Prints `<records> <sha256 of the ids in the order read>` and, on a second line, the seconds the
// export took, timed from inside (process start-up excluded): the parent checks the order.
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDeskeroClient } from "@cskit/deskero";
import { SANDBOX_CREDENTIALS } from "@cskit/sandbox";

const [kind, baseUrl] = process.argv.slice(2);
const started = performance.now();
const ids = createHash("sha256");
let count = 0;
const seen = (id) => {
  ids.update(`${id}\n`);
  count++;
};

if (kind === "iterate") {
  const dk = createDeskeroClient({ ...SANDBOX_CREDENTIALS.deskero, baseUrl });
  for await (const customer of dk.customers.iterate()) seen(customer.id);
} else {
  // The baseline a user would write: a token, then one page after another; a 429 waits and retries.
  const basic = `Basic ${SANDBOX_CREDENTIALS.deskero.apiToken}`;
  const token = await (
    await fetch(`${baseUrl}/oauth/token?grant_type=client_credentials`, {
      headers: { authorization: basic },
    })
  ).json();
  const headers = {
    authorization: `Bearer ${token.access_token}`,
    clientId: SANDBOX_CREDENTIALS.deskero.clientId,
  };
  for (let page = 1; ; ) {
    const res = await fetch(`${baseUrl}/customer/list?page=${page}`, { headers });
    if (res.status === 429) {
      await res.arrayBuffer();
      await sleep(Number(res.headers.get("retry-after-ms") ?? 1000));
      continue;
    }
    if (res.status === 204) break;
    const body = await res.json();
    for (const customer of body.customer.records) seen(customer.id);
    if (!body.customer.nextQuery) break;
    page++;
  }
}
process.stdout.write(`${count} ${ids.digest("hex")}\n${(performance.now() - started) / 1000}\n`);
