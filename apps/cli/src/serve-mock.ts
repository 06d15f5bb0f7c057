import { startMock } from "./mocks.js";
import type { RawOptions } from "./plan.js";
import { UsageError } from "./usage.js";

/** `cskit mock <api>`: Prism in the foreground until Ctrl-C. */
export async function serveMock(api: string, opts: RawOptions): Promise<number> {
  if (api !== "apideck" && api !== "deskero")
    throw new UsageError(`unknown api ${JSON.stringify(api)}: use apideck or deskero`);
  let port: number | undefined;
  if (opts.port !== undefined) {
    port = Number(opts.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UsageError(`--port must be 1..65535, got ${JSON.stringify(opts.port)}`);
  }
  const mock = await startMock(api, { port });
  const env = api === "apideck" ? "APIDECK_BASE_URL" : "DESKERO_BASE_URL";
  process.stdout.write(
    `Mock of specs/${api === "apideck" ? "apideck-customer-support" : "deskero"}.yaml on ${mock.url}\n`,
  );
  // A loopback base URL needs no credentials: cskit fills in dummy ones.
  process.stdout.write(`Try: ${env}=${mock.url} pnpm -s cskit ${api} customers list   (Ctrl-C to stop)\n`);
  await new Promise(() => {}); // until a signal stops the process, and the mock with it
  return 0;
}
