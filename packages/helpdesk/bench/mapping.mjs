// Cost of the mapping per record, side by side with JSON.parse of the same record (which every
// read pays anyway): `node bench/mapping.mjs` after a build. A ratio of 1 means mapping a record
// costs as much as parsing it.
import { performance } from "node:perf_hooks";
import { apideckCustomer, deskeroCustomer, generatePeople } from "@cskit/sandbox";
import { fromUnified, toUnified } from "../dist/index.js";

const RECORDS = 2000;
const ROUNDS = 7;
const people = [...generatePeople(RECORDS, 1)];
const records = {
  apideck: people.map((p, i) => apideckCustomer(String(i + 1), p)),
  deskero: people.map((p, i) => deskeroCustomer(`d${i + 1}`, p)),
};

/** Median µs per record of `fn` over the records, in rounds interleaved with the others. */
function measure(cases) {
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      const t0 = performance.now();
      fn();
      times[name].push(((performance.now() - t0) * 1000) / RECORDS);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => [
      name,
      list.sort((a, b) => a - b)[Math.floor(list.length / 2)],
    ]),
  );
}

console.log("| Provider | JSON.parse, µs | toUnified, µs (ratio) | fromUnified to the other, µs (ratio) |");
console.log("|---|---|---|---|");
for (const [provider, other] of [
  ["apideck", "deskero"],
  ["deskero", "apideck"],
]) {
  const texts = records[provider].map((r) => JSON.stringify(r));
  const unified = records[provider].map((r) => toUnified(provider, r));
  const t = measure({
    parse: () => texts.map((text) => JSON.parse(text)),
    read: () => records[provider].map((r) => toUnified(provider, r)),
    write: () => unified.map((c) => fromUnified(other, c)),
  });
  const ratio = (x) => `${x.toFixed(2)} (${(x / t.parse).toFixed(2)}×)`;
  console.log(`| ${provider} | ${t.parse.toFixed(2)} | ${ratio(t.read)} | ${ratio(t.write)} |`);
}
console.log(`\n${RECORDS} seeded records, median of ${ROUNDS} interleaved rounds, Node ${process.version}.`);
