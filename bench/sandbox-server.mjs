// A sandbox in its own process, so that a benchmark child measures only itself.
// argv: api customers. Prints the URL on stdout; SIGTERM stops it.
import { startSandbox } from "@cskit/sandbox";

const [api, customers] = process.argv.slice(2);
const sandbox = await startSandbox(api, { customers: Number(customers), seed: 1 });
process.stdout.write(`${sandbox.url}\n`);
process.once("SIGTERM", () => sandbox.stop().then(() => process.exit(0)));
