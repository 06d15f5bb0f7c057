import { type Handler, startTestServer, type TestServer } from "@cskit/http/testing";
import { type Customer, createDeskeroClient, type DeskeroOptions } from "../src/index.js";

export const API_TOKEN = "deskero-api-token-0001";
export const ACCESS_TOKEN = "58cfg61g-1585-5c72-g35f-7fe76893ed2f";

export function customer(id: string, extra: Partial<Customer> = {}): Customer {
  return {
    id,
    name: `Frank ${id}`,
    email: `${id}@example.com`,
    birthDate: -72748800000,
    language: "en",
    ...extra,
  };
}

/** A list page as Deskero sends it: 25 per page, nextQuery a full URL. */
export function listPage(base: string, page: number, total: number, per = 25) {
  const start = (page - 1) * per;
  const ids = Array.from(
    { length: Math.max(0, Math.min(per, total - start)) },
    (_, i) => `c${start + i + 1}`,
  );
  const last = start + per >= total;
  return {
    customer: {
      totalRecords: total,
      recordsPerPage: per,
      previousQuery: page > 1 ? `${base}/customer/list?page=${page - 1}` : null,
      nextQuery: last ? null : `${base}/customer/list?page=${page + 1}`,
      records: ids.map((id) => customer(id)),
    },
  };
}

const open: TestServer[] = [];

/** A client against a fresh node:http server on 127.0.0.1 (3 attempts, 1 ms backoff); `closeServers` stops them. */
export async function serveClient(handler: Handler, extra: Partial<DeskeroOptions> = {}) {
  const server = await startTestServer(handler);
  open.push(server);
  const dk = createDeskeroClient({
    clientId: "client-1",
    accessToken: ACCESS_TOKEN,
    baseUrl: server.url,
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    ...extra,
  });
  return { dk, requests: server.requests, url: server.url };
}

export const closeServers = async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
};
