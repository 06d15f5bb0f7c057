// One Prism mock per spec for the whole run, with request validation as errors.
// CSKIT_APIDECK_MOCK_URL / CSKIT_DESKERO_MOCK_URL reuse mocks that are already running;
// in live mode (CSKIT_LIVE, set by scripts/run.mjs --target) no mock is started.
import { type RunningPrism, specPath, startPrism, stopAll } from "@cskit/prism";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    apideckUrl: string;
    deskeroUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const started: RunningPrism[] = [];
  const onSignal = () => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const urlOf = async (api: "apideck" | "deskero", variable: string) => {
    const given = process.env[variable];
    if (given) return given;
    if (process.env.CSKIT_LIVE) return ""; // live mode talks to its proxies, not to mocks
    const prism = await startPrism(specPath(api), { errors: true });
    started.push(prism);
    return prism.url;
  };
  try {
    const [apideckUrl, deskeroUrl] = await Promise.all([
      urlOf("apideck", "CSKIT_APIDECK_MOCK_URL"),
      urlOf("deskero", "CSKIT_DESKERO_MOCK_URL"),
    ]);
    project.provide("apideckUrl", apideckUrl);
    project.provide("deskeroUrl", deskeroUrl);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await Promise.all(started.map((p) => p.stop()));
  };
}
