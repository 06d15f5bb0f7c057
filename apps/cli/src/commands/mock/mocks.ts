import type { Provider } from "@cskit/helpdesk/providers";
import type { PrismOptions, RunningPrism } from "@cskit/prism";
import { stopOnExit } from "../../cleanup.js";
import { cliManifest } from "../../manifest.js";
import { UsageError } from "../../usage.js";

/** @cskit/prism, an optional peer of the CLI: only --mock and `cskit mock` need it (and Prism). */
async function loadPrism(): Promise<typeof import("@cskit/prism")> {
  try {
    return await import("@cskit/prism");
  } catch (error) {
    if (!isMissing(error, "@cskit/prism")) throw error;
    throw new UsageError(
      `mocks need Prism, which is not installed: npm install @cskit/prism@${prismRange()} (or pnpm add, bun add)`,
    );
  }
}

/** Whether `error` says that the package `name` itself cannot be found (not one of its dependencies). */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    message.includes(`'${name}'`)
  );
}

/** The @cskit/prism version this CLI was published with (its peer range: one exact version). */
function prismRange(): string {
  const range = cliManifest().peerDependencies?.["@cskit/prism"] ?? "";
  return /^\d+\.\d+\.\d+/.test(range) ? range : "latest";
}

/** Starts a Prism mock of our spec of `api` that rejects requests the spec forbids (--errors). It stops on any exit. */
export async function startMock(api: Provider, options: PrismOptions = {}): Promise<RunningPrism> {
  const { specPath, startPrism } = await loadPrism();
  const mock = startPrism(specPath(api), { errors: true, ...options });
  // Stopped even while still starting (a signal during Prism's start-up).
  const forget = stopOnExit(async () => (await mock).stop());
  mock.catch(forget);
  return mock;
}
