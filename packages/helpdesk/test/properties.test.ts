// Mapping properties, on values generated from the specs' JSON Schemas.
import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer } from "@cskit/deskero";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DESKERO_TO_UNIFIED, KEPT } from "../src/fields.js";
import {
  fromUnified,
  PROVIDER_READ_ONLY_FIELDS,
  toUnified,
  toUnifiedInput,
  type UnifiedCustomer,
} from "../src/index.js";
import { arbitraryOf, propertiesOf, violations } from "./spec.js";
import { survivalProblems } from "./survival.js";

type Json = Record<string, unknown>;

const NUM_RUNS = 500;
/** Any record a server may answer (responses are looser than requests: any `state`, any `email`). */
/** A stored record: whatever else it holds, it has a string id (`toUnified` refuses one without). */
const stored = <T>(records: fc.Arbitrary<unknown>) =>
  fc
    .tuple(records, fc.string({ minLength: 1, maxLength: 8 }))
    .map(([record, id]) => ({ ...(record as Json), id }) as T);
const deskeroRecords = stored<DeskeroCustomer>(arbitraryOf("deskero", "Customer"));
const apideckRecords = stored<ApideckCustomer>(arbitraryOf("apideck", "Customer"));
/** A record that holds only values the provider's own request schema takes, plus an id. */
const deskeroWritable = stored<DeskeroCustomer>(arbitraryOf("deskero", "CustomerInput"));
const apideckWritable = stored<ApideckCustomer>(arbitraryOf("apideck", "CustomerInput"));
/** A unified customer as a caller might hand it over: any Apideck customer, plus fields from elsewhere. */
const unifiedInputs = fc
  .tuple(
    apideckRecords,
    fc.dictionary(fc.constantFrom("websites", "tags", "custom_fields"), fc.string(), {
      noNullPrototype: true,
    }),
  )
  .map(([record, extra]) => ({ ...extra, ...record }));

/** The Deskero fields with a unified home. */
const MAPPED = Object.entries(DESKERO_TO_UNIFIED)
  .filter(([field, fate]) => fate !== KEPT && field !== "id")
  .map(([field]) => field);
const DESKERO_WRITABLE = propertiesOf("deskero", "CustomerInput");

/** A unified customer without `remote`: written through the mapping alone, as to another provider. */
const detached = ({ remote: _, ...fields }: UnifiedCustomer): Json => fields;

/** null and absent both mean "no value". */
const fieldValue = (record: Json, field: string) => record[field] ?? null;

/** The unified model as read back from a request body: what the provider would store. */
const readBack = (provider: "apideck" | "deskero", record: object): Json =>
  toUnified(provider, { ...record, id: "read-back" } as never) as unknown as Json;

/** The Deskero fields of `record` whose value its CustomerInput refuses (such as a stored `state` ""). */
const refusedByDeskero = (record: Json) =>
  MAPPED.filter((field) => violations("deskero", "CustomerInput", { [field]: record[field] }).length > 0);

/** The list entries of a unified customer that Apideck's request schema refuses, as `field[i]`. */
const ENTRY_SCHEMAS = { emails: "EmailInput", phone_numbers: "PhoneNumberInput", addresses: "AddressInput" };
const refusedByApideck = (unified: Json) =>
  Object.entries(ENTRY_SCHEMAS).flatMap(([field, schema]) =>
    ((unified[field] ?? []) as unknown[]).flatMap((entry, i) =>
      violations("apideck", schema, entry).length > 0 ? [`${field}[${i}]`] : [],
    ),
  );

describe("Deskero -> unified -> Deskero", () => {
  it("returns every field of a writable record unchanged, drops nothing, and sends a valid CustomerInput", () => {
    fc.assert(
      fc.property(deskeroWritable, (record) => {
        const before = structuredClone(record);
        const unified = toUnified("deskero", record);
        expect(record).toEqual(before);
        expect(unified.remote).toEqual({ provider: "deskero", id: record.id, data: record });
        const { record: written, dropped } = fromUnified("deskero", detached(unified));
        expect(dropped).toEqual([]);
        for (const field of MAPPED)
          expect(fieldValue(written, field), field).toEqual(fieldValue(record as Json, field));
        expect(Object.keys(written).filter((key) => !MAPPED.includes(key))).toEqual([]);
        expect(violations("deskero", "CustomerInput", written)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reports exactly the answered values that CustomerInput refuses, and sends the rest unchanged", () => {
    fc.assert(
      fc.property(deskeroRecords, (record) => {
        // Through the mapping alone: with `remote`, an unchanged record would go back as it came.
        const unified = toUnified("deskero", record);
        const { record: written, dropped } = fromUnified("deskero", detached(unified));
        expect(violations("deskero", "CustomerInput", written)).toEqual([]);
        expect(survivalProblems(unified as Json, readBack("deskero", written), dropped)).toEqual([]);
        const refused = refusedByDeskero(record as Json);
        for (const field of MAPPED) {
          const expected = refused.includes(field) ? null : fieldValue(record as Json, field);
          expect(fieldValue(written, field), field).toEqual(expected);
        }
        expect(dropped.length > 0, `dropped ${dropped}, refused ${refused}`).toBe(refused.length > 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reads as a unified customer that Apideck accepts, but for the entries its request schema refuses", () => {
    fc.assert(
      fc.property(deskeroRecords, (record) => {
        const unified = toUnified("deskero", record);
        const { record: written, dropped } = fromUnified("apideck", unified);
        expect(violations("apideck", "CustomerInput", written)).toEqual([]);
        expect(dropped).toEqual(refusedByApideck(unified as unknown as Json));
        expect(survivalProblems(unified as Json, readBack("apideck", written), dropped)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

/** The unified address fields and phone types Deskero has a field for, from the mapping table. */
const homes = Object.values(DESKERO_TO_UNIFIED).join(" ");
const ADDRESS_KEYS = [...homes.matchAll(/addresses\[0\]\.(\w+)/g)].map((m) => m[1]);
const PHONE_TYPES = [...homes.matchAll(/phone_numbers\[\] \(type (\w+)\)/g)].map((m) => m[1]);

describe("unified -> Deskero -> unified", () => {
  it("keeps every field Deskero can hold, and dropped is exactly what did not survive", () => {
    fc.assert(
      fc.property(unifiedInputs, (customer) => {
        const { record, dropped } = fromUnified("deskero", customer as unknown as UnifiedCustomer);
        expect(violations("deskero", "CustomerInput", record)).toEqual([]);
        expect(Object.keys(record).filter((key) => !DESKERO_WRITABLE.includes(key))).toEqual([]);
        const back = readBack("deskero", record);
        expect(survivalProblems(customer as Json, back, dropped)).toEqual([]);

        // What Deskero can hold is kept: one email, one address, a number of each phone type.
        const emails = customer.emails ?? [];
        if (emails.some((e) => typeof e.email === "string")) expect(back.emails).toHaveLength(1);
        const addresses = (customer.addresses ?? []) as Json[];
        const holdable = (a: Json) =>
          ADDRESS_KEYS.some((k) => k && a[k] != null && (k !== "country" || /^[A-Z]{2}$/.test(String(a[k]))));
        if (addresses.some(holdable)) expect(back.addresses).toHaveLength(1);
        const backTypes = ((back.phone_numbers ?? []) as Json[]).map((p) => p.type);
        for (const phone of customer.phone_numbers ?? []) {
          if (PHONE_TYPES.includes(String(phone.type))) expect(backTypes).toContain(phone.type);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("Apideck -> unified -> Apideck", () => {
  it("is the identity on a writable record: every field is sent unchanged, nothing dropped", () => {
    fc.assert(
      fc.property(apideckWritable, (record) => {
        const unified = toUnified("apideck", record);
        const { remote: _, ...fields } = unified;
        expect(fields).toEqual(record);
        const { id: __, ...writable } = record as Json;
        expect(fromUnified("apideck", unified)).toEqual({ record: writable, dropped: [] });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reads any answer as a copy, and reports exactly the values the request schema refuses", () => {
    fc.assert(
      fc.property(apideckRecords, (record) => {
        const before = structuredClone(record);
        const unified = toUnified("apideck", record);
        expect(record).toEqual(before);
        // No id (the `fields` parameter can leave it out): none is made up.
        expect(unified.remote).toEqual({ provider: "apideck", id: record.id, data: record });
        const { remote: _, ...fields } = unified;
        expect(fields).toEqual(record);

        const { record: written, dropped } = fromUnified("apideck", detached(unified));
        expect(violations("apideck", "CustomerInput", written)).toEqual([]);
        expect(survivalProblems(unified as unknown as Json, readBack("apideck", written), dropped)).toEqual(
          [],
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reports fields that are not in the unified model instead of sending them", () => {
    fc.assert(
      fc.property(unifiedInputs, (customer) => {
        const { record, dropped } = fromUnified("apideck", customer as unknown as UnifiedCustomer);
        expect(violations("apideck", "CustomerInput", record)).toEqual([]);
        expect(survivalProblems(customer as Json, readBack("apideck", record), dropped)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("a hostile server", () => {
  const anyJsonIn = (provider: "apideck" | "deskero") =>
    stored<Json>(
      fc.dictionary(fc.constantFrom(...propertiesOf(provider, "Customer")), fc.jsonValue({ maxDepth: 2 }), {
        noNullPrototype: true,
      }),
    );

  it("any JSON in any Deskero field reads, keeps the record, and writes valid requests to both", () => {
    fc.assert(
      fc.property(anyJsonIn("deskero"), (record) => {
        const unified = toUnified("deskero", record as unknown as DeskeroCustomer);
        expect(unified.remote.data).toBe(record);
        for (const provider of ["deskero", "apideck"] as const) {
          const { record: written, dropped } = fromUnified(provider, detached(unified));
          expect(violations(provider, "CustomerInput", written)).toEqual([]);
          expect(survivalProblems(unified as Json, readBack(provider, written), dropped)).toEqual([]);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("any JSON in any Apideck field reads, writes a valid Deskero request, and reports exactly what it cannot send", () => {
    fc.assert(
      fc.property(anyJsonIn("apideck"), (record) => {
        const unified = toUnified("apideck", record as unknown as ApideckCustomer);
        expect(unified.remote.data).toBe(record);
        const deskero = fromUnified("deskero", unified);
        expect(violations("deskero", "CustomerInput", deskero.record)).toEqual([]);
        expect(
          survivalProblems(unified as Json, readBack("deskero", deskero.record), deskero.dropped),
        ).toEqual([]);
        const apideck = fromUnified("apideck", detached(unified));
        expect(violations("apideck", "CustomerInput", apideck.record)).toEqual([]);
        expect(
          survivalProblems(unified as Json, readBack("apideck", apideck.record), apideck.dropped),
        ).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("written back to the provider it was read from", () => {
  const withoutReadOnly = (provider: "apideck" | "deskero", record: object): Json =>
    Object.fromEntries(
      Object.entries(record).filter(([key]) => !PROVIDER_READ_ONLY_FIELDS[provider].includes(key)),
    );

  it.each(["deskero", "apideck"] as const)(
    "an unchanged %s record is sent whole (its read-only fields aside), nothing dropped",
    (provider) => {
      const records = provider === "deskero" ? deskeroRecords : apideckRecords;
      fc.assert(
        fc.property(records, (record) => {
          const { record: written, dropped } = fromUnified(provider, toUnified(provider, record as never));
          expect(written).toEqual(withoutReadOnly(provider, record));
          expect(dropped).toEqual([]);
        }),
        { numRuns: NUM_RUNS },
      );
    },
  );

  it("any JSON in any Deskero field, unchanged, goes back as it came (the provider judges it)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...propertiesOf("deskero", "Customer")),
          fc.jsonValue({ maxDepth: 2 }),
          {
            noNullPrototype: true,
          },
        ),
        (record) => {
          const written = fromUnified("deskero", toUnifiedInput("deskero", record as never)).record;
          expect(written).toEqual(withoutReadOnly("deskero", record));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("a changed Deskero customer keeps every field without a unified home, and the change", () => {
    const KEPT_FIELDS = Object.entries(DESKERO_TO_UNIFIED)
      .filter(([field, fate]) => fate === KEPT && !PROVIDER_READ_ONLY_FIELDS.deskero.includes(field))
      .map(([field]) => field);
    fc.assert(
      fc.property(deskeroWritable, fc.string(), (record, notes) => {
        const unified = { ...toUnified("deskero", record), notes: `${notes}!` };
        const { record: written, dropped } = fromUnified("deskero", unified);
        expect(written.memo).toBe(`${notes}!`);
        expect(dropped).toEqual([]);
        for (const field of KEPT_FIELDS)
          expect((written as Json)[field], field).toEqual((record as Json)[field]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
