// A sandbox in its own process, so that a benchmark child measures only itself.
// argv: api customers [faults], faults as `cskit sandbox --faults` reads them (latency=40,rate=200).
// Prints the URL on stdout; SIGTERM stops it, after it prints its `stats()` as one JSON line. Its
// stdin is a pipe from the bench: when that closes (the bench ended, even by SIGKILL), it exits too.
import { parseFaults, startSandbox } from "@cskit/sandbox";

const [api, customers, faults = ""] = process.argv.slice(2);
const sandbox = await startSandbox(api, {
  customers: Number(customers),
  seed: 1,
  faults: parseFaults(faults),
});
process.stdout.write(`${sandbox.url}\n`);
process.once("SIGTERM", () =>
  sandbox
    .stop()
    .then(() => process.stdout.write(`${JSON.stringify(sandbox.stats())}\n`, () => process.exit(0))),
);
process.stdin.once("end", () => process.exit(0));
process.stdin.resume();
