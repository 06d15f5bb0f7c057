// One migration, Deskero sandbox -> Apideck sandbox, timed from inside the process.
// argv: migrate|raw fromUrl toUrl state concurrency. Prints { ms, cpuMs, records, held, distinct, rssKb } as
// JSON: rssKb is the peak RSS of the migration and cpuMs its CPU time (user + system), both measured
// before the check of the target.
import { createHelpdesk } from "@cskit/helpdesk";
import { migrate } from "@cskit/migrate";

const [mode, fromUrl, toUrl, state, concurrency] = process.argv.slice(2);
const from = createHelpdesk({
  provider: "deskero",
  clientId: "bench",
  apiToken: "YmVuY2g6YmVuY2g=",
  baseUrl: fromUrl,
});
const to = createHelpdesk({ provider: "apideck", apiKey: "k", appId: "a", consumerId: "c", baseUrl: toUrl });
const started = performance.now();
let records = 0;
if (mode === "raw") {
  // The baseline: list the source and create each record in the target, `concurrency` at a time.
  const source = from.customers.iterate();
  const worker = async () => {
    for (let next = await source.next(); !next.done; next = await source.next()) {
      const { id: _, remote: __, ...content } = next.value;
      await to.customers.create(content);
      records++;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
} else {
  // "default": the flags a user passes none of.
  const ceiling = concurrency === "default" ? undefined : Number(concurrency);
  const run = migrate({ from, to, state, concurrency: ceiling });
  let step = await run.next();
  while (!step.done) step = await run.next();
  if (step.value.failed > 0) throw new Error(`${step.value.failed} records failed`);
  records = step.value.seen;
}
const ms = performance.now() - started;
// The migration's own peak, before the check below reads the whole target.
const usage = process.resourceUsage();
const rssKb = usage.maxRSS;
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
// Each record once: the target holds as many records as were read, with as many distinct emails.
let held = 0;
const emails = new Set();
for await (const c of to.customers.iterate()) {
  held++;
  emails.add(c.emails?.[0]?.email);
}
process.stdout.write(JSON.stringify({ ms, cpuMs, records, held, distinct: emails.size, rssKb }));
