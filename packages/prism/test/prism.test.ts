import { describe, expect, it } from "vitest";
import { listPrismProcesses, specPath, startPrism } from "../src/index.js";

const alive = (port: string) => listPrismProcesses().some((p) => p.args.includes(` -p ${port} `));

describe("startPrism", () => {
  it("serves the spec on loopback, answers request violations with an error, and stops", async () => {
    const prism = await startPrism(specPath("deskero"), { errors: true });
    expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(prism.url).port;
    const ok = await fetch(`${prism.url}/customer/1`, {
      headers: { clientId: "c", Authorization: "Bearer t" },
    });
    expect(ok.status).toBe(200);
    const missingHeader = await fetch(`${prism.url}/customer/1`, { headers: { Authorization: "Bearer t" } });
    // Prism picks the spec's own 400 for a request that breaks it, and names the violation.
    expect(missingHeader.status).toBe(400);
    expect(missingHeader.headers.get("sl-violations")).toContain("clientid");
    expect(alive(port)).toBe(true);
    await prism.stop();
    expect(alive(port)).toBe(false);
  });

  it("fails with Prism's log when the spec cannot be served", async () => {
    await expect(startPrism("/nonexistent/spec.yaml")).rejects.toThrow(
      /Prism exited with code \d+ before it was ready/,
    );
  });

  it("fails clearly when Prism does not listen in time", async () => {
    await expect(startPrism(specPath("apideck"), { readyTimeoutMs: 1 })).rejects.toThrow(
      "Prism did not start within 0.001 s",
    );
  });
});

describe("no orphans", () => {
  it("ends Prism when the process that started it is killed with SIGKILL", { timeout: 180_000 }, async () => {
    const { spawn } = await import("node:child_process");
    const script = `
      const { startPrism, specPath } = await import(${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)});
      const prism = await startPrism(specPath("apideck"));
      console.log(new URL(prism.url).port);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<string>((resolve) =>
      parent.stdout.once("data", (d: Buffer) => resolve(d.toString().trim())),
    );
    expect(alive(port)).toBe(true);
    parent.kill("SIGKILL");
    for (let i = 0; i < 100 && alive(port); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(port)).toBe(false);
  });
});

describe("ports", () => {
  it("a taken port given by the caller fails with Prism's EADDRINUSE", { timeout: 180_000 }, async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(startPrism(specPath("apideck"), { port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
