#!/usr/bin/env node
// node bench/sqlite-drivers.mjs [records]   (Node >= 22.5: node:sqlite does not exist before)
// The evidence for the SQLite driver of @cskit/migrate: better-sqlite3 (what it uses) against Node's
// built-in node:sqlite, on the state store's work per record (upsert the scanned record, mark it in
// flight, mark it done, in transactions of 100, WAL + synchronous=NORMAL) and on start-up (import
// the driver and open a state file, in a fresh process). Interleaved rounds; medians with min–max.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(new URL("../packages/migrate/package.json", import.meta.url));
const betterSqlitePath = require.resolve("better-sqlite3");
const RECORDS = Number(process.argv[2] ?? 20_000);
const ROUNDS = 5;

const SCHEMA = `CREATE TABLE records (source_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL,
  target_id TEXT, status TEXT NOT NULL, scan_seq INTEGER NOT NULL);
CREATE INDEX records_seq ON records (scan_seq);`;
const UPSERT = `INSERT INTO records (source_id, content_hash, status, scan_seq) VALUES (?, ?, 'pending', ?)
  ON CONFLICT (source_id) DO UPDATE SET content_hash = excluded.content_hash, scan_seq = excluded.scan_seq`;

// The same three statements through each driver's API.
const drivers = {
  "better-sqlite3": (file) => {
    const Database = require(betterSqlitePath);
    const db = new Database(file);
    return { db, exec: (sql) => db.exec(sql), prepare: (sql) => db.prepare(sql), close: () => db.close() };
  },
  "node:sqlite": (file) => {
    const { DatabaseSync } = require("node:sqlite");
    const db = new DatabaseSync(file);
    return { db, exec: (sql) => db.exec(sql), prepare: (sql) => db.prepare(sql), close: () => db.close() };
  },
};

function workload(name) {
  const dir = mkdtempSync(join(tmpdir(), "cskit-sqlite-"));
  const store = drivers[name](join(dir, "state.sqlite"));
  store.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  store.exec(SCHEMA);
  const upsert = store.prepare(UPSERT);
  const inFlight = store.prepare("UPDATE records SET status = 'in_flight' WHERE source_id = ?");
  const done = store.prepare("UPDATE records SET status = 'done', target_id = ? WHERE source_id = ?");
  const started = performance.now();
  for (let batch = 0; batch < RECORDS; batch += 100) {
    store.exec("BEGIN");
    for (let i = batch; i < Math.min(batch + 100, RECORDS); i++) {
      const id = `customer-${i}`;
      upsert.run(id, `hash-${i}`, i);
      inFlight.run(id);
      done.run(`target-${i}`, id);
    }
    store.exec("COMMIT");
  }
  const ms = performance.now() - started;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return (RECORDS / ms) * 1000;
}

/** Wall time of a fresh process that imports the driver and opens a state file (or does nothing). */
function startup(name) {
  const body = {
    none: "",
    "better-sqlite3": `const D = require(${JSON.stringify(betterSqlitePath)}); new D(":memory:").close();`,
    "node:sqlite": `const { DatabaseSync } = require("node:sqlite"); new DatabaseSync(":memory:").close();`,
  }[name];
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--no-warnings", "-e", body]);
  if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
  return performance.now() - started;
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1) };
};
const fmt = (s, digits) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

const names = Object.keys(drivers);
const perSecond = { "better-sqlite3": [], "node:sqlite": [] };
const startMs = { none: [], "better-sqlite3": [], "node:sqlite": [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? [...names].reverse() : names;
  for (const name of order) perSecond[name].push(workload(name));
  for (const name of round % 2 ? ["node:sqlite", "better-sqlite3", "none"] : ["none", ...names])
    startMs[name].push(startup(name));
}
console.log(
  `Node ${process.version}, ${RECORDS} records, ${ROUNDS} rounds, load ${(await import("node:os")).loadavg()[0].toFixed(1)}`,
);
for (const name of names)
  console.log(`${name.padEnd(15)} state work: ${fmt(stats(perSecond[name]), 0)} records/s`);
const ratio = perSecond["node:sqlite"].map((n, i) => n / perSecond["better-sqlite3"][i]);
console.log(`node:sqlite / better-sqlite3 throughput: ${fmt(stats(ratio), 2)}×`);
for (const name of ["none", ...names])
  console.log(`${name.padEnd(15)} start-up: ${fmt(stats(startMs[name]), 0)} ms`);
