import { spawn } from "node:child_process";
import http from "node:http";

const child = spawn(process.execPath, ["/work/main/bench/server.mjs", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((r) => child.stdout.once("data", (c) => r(c.toString().trim())));
const h = { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" };
const u = `${url}/customer-support/customers?limit=20`;
const raw = async () => (await fetch(u, { headers: h })).json();
const agent = http.globalAgent;
const nat = () =>
  new Promise((res, rej) => {
    const req = http.request(u, { method: "GET", headers: h, agent }, (r) => {
      const chunks = [];
      r.on("data", (c) => chunks.push(c));
      r.on("end", () => res(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      r.on("error", rej);
    });
    req.on("error", rej);
    req.end();
  });
async function run(call, n) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const { user, system } = process.cpuUsage(c0);
  return (user + system) / n;
}
for (const f of [raw, nat]) await run(f, 500);
for (let r = 0; r < 4; r++) {
  const a = await run(raw, 2000);
  const b = await run(nat, 2000);
  console.log("raw", a.toFixed(0), "native", b.toFixed(0), "ratio", (a / b).toFixed(2));
}
child.kill();
