// Negative data, refused at compile time: the typed clients cannot send what the request checks
// (src/requests.ts) send on raw HTTP. `pnpm typecheck` fails if any of these compiles.
import type { ApideckCustomerSupport } from "@cskit/apideck-customer-support";
import type { DeskeroClient } from "@cskit/deskero";

declare const cs: ApideckCustomerSupport;
declare const dk: DeskeroClient;

export function apideckNegatives() {
  // @ts-expect-error wrong type: limit is a number
  void cs.customers.list({ limit: "201" });
  // @ts-expect-error wrong type: first_name is a string
  void cs.customers.create({ first_name: 12345 });
  // @ts-expect-error unknown field in a closed body
  void cs.customers.create({ cskit_unknown_field: 1 });
  // @ts-expect-error missing required field: a phone number needs `number`
  void cs.customers.create({ phone_numbers: [{ type: "mobile" }] });
  // @ts-expect-error missing required field: an email needs `email`
  void cs.customers.update("1", { emails: [{ type: "work" }] });
  // @ts-expect-error a closed enum: "activ" is no status
  void cs.customers.update("1", { status: "activ" });
  // @ts-expect-error read-only: id is not writable
  void cs.customers.create({ id: "1" });
}

export function deskeroNegatives() {
  // @ts-expect-error wrong type: page is a number
  void dk.customers.list({ page: "2" });
  // @ts-expect-error wrong type: birthDate is epoch milliseconds
  void dk.customers.create({ birthDate: "1967-09-10" });
  // @ts-expect-error unknown field in a closed body
  void dk.customers.create({ cskit_unknown_field: 1 });
  // @ts-expect-error read-only: profilePhotoUrl is set by Deskero
  void dk.customers.update("1", { profilePhotoUrl: "https://x" });
  // @ts-expect-error unknown search field
  void dk.customers.search({ shoeSize: "42" });
  // @ts-expect-error a free-form object cannot be searched
  void dk.customers.search({ account: {} });
}
