// Importing the root alone (as `cskit`'s bin does, or an app that imports @cskit/http first)
// remembers Node's own fetch dispatchers before anything else makes Node set them, so that
// `sender: "auto"` can still pick its own undici Agent. A fresh process: the test setup already loaded them.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const dist = join(import.meta.dirname, "..", "dist");
const url = (file: string) => JSON.stringify(pathToFileURL(join(dist, file)).href);

it("remembers Node's dispatchers as the root loads", () => {
  const program = `
    await import(${url("index.js")});
    await import("node:http"); // makes Node set its dispatchers, had nothing done it before
    new Headers();
    const { dispatchersAreNodes } = await import(${url("internal/send/node-dispatchers.js")});
    console.log(dispatchersAreNodes());
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", program], { encoding: "utf8" });
  expect(out.trim()).toBe("true");
});
