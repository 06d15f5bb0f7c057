// The benchmark's fake API, in its own process on 127.0.0.1 with keep-alive.
//   node bench/server.mjs <total>
// Apideck pages follow `cursor` (an offset) and `limit`; Deskero pages hold 25 and follow `page`.
// With total 0 every request gets the same ~2 KB page (the per-request overhead benchmark).
// Prints the base URL on stdout once listening.
import { createServer } from "node:http";

const total = Number(process.argv[2] ?? 0);

function apideckCustomer(id) {
  return {
    id,
    company_name: "SpaceX",
    first_name: "Elon",
    last_name: "Musk",
    individual: true,
    addresses: [
      {
        id: "123",
        type: "primary",
        line1: "Main street",
        city: "San Francisco",
        state: "CA",
        postal_code: "94104",
        country: "US",
      },
    ],
    notes: "Some notes about this customer",
    phone_numbers: [
      { id: "12345", country_code: "1", area_code: "323", number: "111-111-1111", type: "primary" },
    ],
    emails: [{ id: "123", email: "elon@musk.com", type: "primary" }],
    tax_number: "US123945459",
    currency: "USD",
    bank_accounts: {
      account_number: "123465",
      account_name: "SPACEX LLC",
      account_type: "credit_card",
      iban: "CH2989144532982975332",
      bic: "AUDSCHGGXXX",
      currency: "USD",
    },
    status: "active",
    updated_by: "12345",
    created_by: "12345",
    updated_at: "2020-09-30T07:43:32.000Z",
    created_at: "2020-09-30T07:43:32.000Z",
  };
}

function deskeroCustomer(id) {
  return {
    id,
    name: "Frank Elvgren",
    birthDate: -72748800000,
    email: "frankelvgren@myemail.com",
    phoneNumber: "202-555-0187",
    mobileNumber: "07700 900595",
    address: "4-5 Gough Square",
    city: "London",
    state: "GB",
    postalNumber: "EC4A 3DE",
    registrationChannel: "STANDARD",
    topClient: true,
    profilePhotoUrl: `https://api.deskero.com/customer/photo/${id}`,
    signature: "Regards, Frank Elvgren",
    memo: "a great customer",
    language: "en",
  };
}

function apideckPage(start, limit, base) {
  const count = total === 0 ? 2 : Math.max(0, Math.min(limit, total - start));
  const data = Array.from({ length: count }, (_, i) => apideckCustomer(String(start + i)));
  const next = total > 0 && start + count < total ? String(start + count) : null;
  return {
    status_code: 200,
    status: "OK",
    service: "bench",
    resource: "customers",
    operation: "all",
    data,
    meta: { items_on_page: count, cursors: { previous: null, current: String(start), next } },
    links: { previous: null, current: `${base}/customer-support/customers`, next: null },
  };
}

function deskeroPage(page, base) {
  const per = total === 0 ? 4 : 25;
  const start = (page - 1) * per;
  const count = total === 0 ? per : Math.max(0, Math.min(per, total - start));
  const more = total > 0 && start + count < total;
  return {
    customer: {
      totalRecords: total || per,
      recordsPerPage: 25,
      previousQuery: null,
      nextQuery: more ? `${base}/customer/list?page=${page + 1}` : null,
      records: Array.from({ length: count }, (_, i) => deskeroCustomer(`c${start + i}`)),
    },
  };
}

let fixed;
const server = createServer((req, res) => {
  const url = new URL(req.url, base);
  let body;
  if (total === 0) {
    fixed ??= {
      apideck: Buffer.from(JSON.stringify(apideckPage(0, 1, base))),
      deskero: Buffer.from(JSON.stringify(deskeroPage(1, base))),
    };
    body = url.pathname.startsWith("/customer-support") ? fixed.apideck : fixed.deskero;
  } else if (url.pathname === "/customer-support/customers") {
    const page = apideckPage(
      Number(url.searchParams.get("cursor") ?? 0),
      Number(url.searchParams.get("limit") ?? 20),
      base,
    );
    body = Buffer.from(JSON.stringify(page));
  } else {
    body = Buffer.from(JSON.stringify(deskeroPage(Number(url.searchParams.get("page") ?? 1), base)));
  }
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": body.length,
    "request-id": "bench",
  });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
let base = "";
server.listen(0, "127.0.0.1", () => {
  base = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`${base}\n`);
});
process.on("SIGTERM", () => process.exit(0));
