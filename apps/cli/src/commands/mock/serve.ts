import { BASE_URL_VARIABLE } from "@cskit/helpdesk";
import { PROVIDER_INFO } from "@cskit/helpdesk/providers";
import { apiOf, integer, type RawOptions } from "../../globals.js";
import { startMock } from "./mocks.js";

/** `cskit mock <api>`: Prism in the foreground until Ctrl-C. */
export async function serveMock(api: string, opts: RawOptions): Promise<number> {
  const which = apiOf(api);
  const port = integer(opts.port, "--port", 1, 65535);
  const mock = await startMock(which, { port });
  const env = BASE_URL_VARIABLE[which];
  process.stdout.write(`Mock of specs/${PROVIDER_INFO[which].specId}.yaml on ${mock.url}\n`);
  // A loopback base URL needs no credentials: cskit fills in dummy ones.
  process.stdout.write(`Try: ${env}=${mock.url} pnpm -s cskit ${which} customers list   (Ctrl-C to stop)\n`);
  await new Promise(() => {}); // until a signal stops the process, and the mock with it
  return 0;
}
