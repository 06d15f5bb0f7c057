import type { Customer } from "../src/index.js";

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
