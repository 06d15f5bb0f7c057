import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer } from "@cskit/deskero";

// The mapping tables of the README, as data. `satisfies Record<keyof ...>` makes a field added to a
// spec fail to compile until it has a row; test/readme.test.ts checks the README against these rows.

export const KEPT = "kept in remote";
export const REPORTED = "dropped, reported";
export const IGNORED = "read-only, ignored on write";

/** Where each Deskero field goes in the unified model, and back. */
export const DESKERO_TO_UNIFIED = {
  id: "id (read-only)",
  name: "first_name + last_name",
  email: "emails[0] (type primary)",
  phoneNumber: "phone_numbers[] (type primary)",
  mobileNumber: "phone_numbers[] (type mobile)",
  faxNumber: "phone_numbers[] (type fax)",
  address: "addresses[0].line1",
  city: "addresses[0].city",
  province: "addresses[0].state",
  postalNumber: "addresses[0].postal_code",
  state: "addresses[0].country",
  website: "addresses[0].website",
  company: "company_name (and individual: false when set)",
  memo: "notes",
  birthDate: KEPT,
  skypeAddress: KEPT,
  msnAddress: KEPT,
  gtalkAddress: KEPT,
  twitterAccountUrl: KEPT,
  facebookAccountUrl: KEPT,
  linkedinAccountUrl: KEPT,
  googleAccountUrl: KEPT,
  youtubeAccountUrl: KEPT,
  registrationChannel: KEPT,
  topClient: KEPT,
  profilePhotoBlob: KEPT,
  profilePhotoUrl: KEPT,
  signature: KEPT,
  account: KEPT,
  insertByAgentId: KEPT,
  customFields: KEPT,
  language: KEPT,
} as const satisfies Record<keyof DeskeroCustomer, string>;

/** Where each unified field goes when written to Deskero. */
export const UNIFIED_TO_DESKERO = {
  id: IGNORED,
  created_at: IGNORED,
  created_by: IGNORED,
  updated_at: IGNORED,
  updated_by: IGNORED,
  first_name: "name",
  last_name: "name",
  company_name: "company",
  individual: "derived from company; reported if it differs",
  emails: "email: the first of type primary, else the first; the others reported",
  phone_numbers: "phoneNumber / mobileNumber / faxNumber by type; the others reported",
  addresses: "address, city, province, postalNumber, state, website: one address; the others reported",
  notes: "memo",
  tax_number: REPORTED,
  currency: REPORTED,
  bank_accounts: REPORTED,
  status: REPORTED,
} as const satisfies Record<keyof ApideckCustomer, string>;

/** Where each unified field goes when written to Apideck. */
export const UNIFIED_TO_APIDECK = {
  id: IGNORED,
  created_at: IGNORED,
  created_by: IGNORED,
  updated_at: IGNORED,
  updated_by: IGNORED,
  first_name: "first_name",
  last_name: "last_name",
  company_name: "company_name",
  individual: "individual",
  emails: "emails",
  phone_numbers: "phone_numbers",
  addresses: "addresses",
  notes: "notes",
  tax_number: "tax_number",
  currency: `currency; a code outside the request enum is ${REPORTED}`,
  bank_accounts: "bank_accounts",
  status: `status; a value outside the request enum is ${REPORTED}`,
} as const satisfies Record<keyof ApideckCustomer, string>;

/** The unified fields that are read-only: never sent, never reported. */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set(
  Object.entries(UNIFIED_TO_APIDECK)
    .filter(([, fate]) => fate === IGNORED)
    .map(([field]) => field)
    .concat("remote"),
);

/** Every writable unified field. */
export const WRITABLE_FIELDS: ReadonlySet<string> = new Set(
  Object.keys(UNIFIED_TO_APIDECK).filter((field) => !READ_ONLY_FIELDS.has(field)),
);
