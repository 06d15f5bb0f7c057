// An in-memory Helpdesk for tests, with faults on cue. Plain JavaScript so that a spawned fixture
// process can use it too; `file` keeps its records on disk so that they outlive a SIGKILL.
import { readFileSync, writeFileSync, writeSync } from "node:fs";
import { ConnectionError, CskitError } from "@cskit/http";

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` unified customers, the same for the same seed; every one has a unique email. */
export function customers(count, { seed = 1, prefix = "c" } = {}) {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => ({
    first_name: `First${i}`,
    last_name: `Last${Math.floor(next() * 1000)}`,
    company_name: next() < 0.5 ? `Company ${i}` : null,
    emails: [
      { email: `${prefix}${i}@example.com`, type: "primary" },
      ...(next() < 0.3 ? [{ email: `${prefix}${i}.alt@example.com`, type: "work" }] : []),
    ],
    phone_numbers: [{ number: `+1555${String(i).padStart(6, "0")}`, type: "primary" }],
    notes: next() < 0.2 ? `note ${i}` : null,
    ...(next() < 0.2 ? { bank_accounts: { iban: `GB00TEST${i}` } } : {}),
  }));
}

const strip = ({ id, remote, created_at, updated_at, created_by, updated_by, ...content }) => content;

/**
 * options: provider, records (initial content list), file, pageSize,
 * faults: { rate503, rate429, retryAfterMs, lost, seed, refuse(content) -> boolean },
 * dropFields: unified fields this target cannot hold (reported as dropped),
 * killAfter: { requests, when: "before" | "after" } ends the process with SIGKILL on that request.
 */

/**
 * SIGKILL, now. As pid 1 of a PID namespace (a container's init) a process cannot signal itself, so
 * there it asks on stderr and freezes (`Atomics.wait`) until its parent namespace kills it.
 */
function die() {
  if (process.pid !== 1) process.kill(process.pid, "SIGKILL");
  writeSync(2, "fake-helpdesk: kill me\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
export function createFakeHelpdesk(options) {
  const provider = options.provider;
  const idempotent = options.idempotentCreate ?? provider === "apideck";
  const faults = options.faults ?? {};
  const next = random(faults.seed ?? 7);
  const pageSize = options.pageSize ?? 50;
  const dropFields = options.dropFields ?? (provider === "deskero" ? ["bank_accounts", "emails[1]"] : []);
  let data = { seq: 0, records: [], keys: {} };
  if (options.file) {
    try {
      data = JSON.parse(readFileSync(options.file, "utf8"));
    } catch {}
  }
  const stats = { requests: 0, creates: 0, updates: 0, deletes: 0, searches: 0, lists: 0, faults: 0 };
  const save = () => {
    if (options.file) writeFileSync(options.file, JSON.stringify(data));
  };
  const add = (content) => {
    const id = `${provider === "apideck" ? "a" : "d"}${++data.seq}`;
    data.records.push({ id, content });
    return id;
  };
  for (const content of options.records ?? []) add(content);
  save();

  const unified = (r) => ({
    ...r.content,
    id: r.id,
    remote: { provider, id: r.id, data: { id: r.id, ...r.content } },
  });
  const find = (id) => data.records.find((r) => r.id === id);
  const droppedOf = (content) => dropFields.filter((path) => valueAt(content, path) !== undefined);
  const keep = (content) => {
    const kept = structuredClone(strip(content));
    if (dropFields.includes("emails[1]") && kept.emails) kept.emails = kept.emails.slice(0, 1);
    if (dropFields.includes("bank_accounts")) delete kept.bank_accounts;
    return kept;
  };

  /** Faults before the server does anything; `lost` after it did. */
  async function request(op, work) {
    const number = ++stats.requests;
    const kill = options.killAfter;
    if (kill && number === kill.requests && kill.when === "before") die();
    await new Promise((resolve) => setImmediate(resolve));
    if (op !== "list" && faults.rate429 && next() < faults.rate429) {
      stats.faults++;
      const error = new CskitError("Too Many Requests", { status: 429, operation: op });
      if (faults.retryAfterMs !== undefined) error.retryAfterMs = faults.retryAfterMs;
      throw error;
    }
    if (op !== "list" && faults.rate503 && next() < faults.rate503) {
      stats.faults++;
      throw new CskitError("Service Unavailable", { status: 503, operation: op });
    }
    const result = work();
    if (kill && number === kill.requests && kill.when === "after") die();
    if (op === "create" && faults.lost && next() < faults.lost) {
      stats.faults++;
      throw new ConnectionError("socket hang up (the answer was lost)", "ECONNRESET");
    }
    return result;
  }

  const customers = {
    async list({ cursor } = {}) {
      const start = Number(cursor ?? 0);
      const page = await request("list", () => data.records.slice(start, start + pageSize));
      stats.lists++;
      return { items: page.map(unified), next: page.length < pageSize ? null : String(start + pageSize) };
    },
    async *iterate() {
      for (let start = 0; ; start += pageSize) {
        const page = await request("list", () => data.records.slice(start, start + pageSize));
        stats.lists++;
        for (const r of page) yield unified(r);
        if (page.length < pageSize) return;
      }
    },
    async get(id) {
      return request("get", () => {
        const r = find(id);
        if (!r) throw new CskitError(`customer ${id} not found`, { status: 404, notFound: true });
        return unified(r);
      });
    },
    async create(input, opts = {}) {
      return request("create", () => {
        if (faults.refuse?.(input))
          throw new CskitError("Unprocessable Entity: invalid email", { status: 422 });
        const key = idempotent ? opts.idempotencyKey : undefined;
        if (key && data.keys[key]) return { id: data.keys[key], dropped: droppedOf(input) };
        stats.creates++;
        const id = add(keep(input));
        if (key) data.keys[key] = id;
        save();
        return { id, dropped: droppedOf(input) };
      });
    },
    async update(id, patch) {
      return request("update", () => {
        const r = find(id);
        if (!r) throw new CskitError(`customer ${id} not found`, { status: 404, notFound: true });
        stats.updates++;
        r.content = keep(patch);
        save();
        return { id, dropped: droppedOf(patch) };
      });
    },
    async delete(id) {
      return request("delete", () => {
        const before = data.records.length;
        data.records = data.records.filter((r) => r.id !== id);
        if (data.records.length === before)
          throw new CskitError(`customer ${id} not found`, { status: 404, notFound: true });
        stats.deletes++;
        save();
      });
    },
    async findByEmail(email) {
      return request("search", () => {
        stats.searches++;
        const wanted = email.toLowerCase();
        return data.records
          .filter((r) => (r.content.emails ?? []).some((e) => e.email?.toLowerCase() === wanted))
          .map(unified);
      });
    },
  };

  return {
    provider,
    capabilities: { idempotentCreate: idempotent, findByEmail: provider === "deskero" ? "search" : "scan" },
    customers,
    stats,
    /** The records as stored, for assertions. */
    records: () => data.records,
    /** Changes a stored record's content, as a user would at the source. */
    edit(id, change) {
      const r = find(id);
      r.content = { ...r.content, ...change };
      save();
    },
    add(content) {
      const id = add(content);
      save();
      return id;
    },
    remove(id) {
      data.records = data.records.filter((r) => r.id !== id);
      save();
    },
  };
}

function valueAt(record, path) {
  let current = record;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[part];
  }
  return current;
}
