// `<api> customers list|get|create|update|delete`: one plan run against the helpdesk it names.
import type { AnyRemote, Helpdesk, UnifiedCustomer } from "@cskit/helpdesk";
import type { Provider } from "@cskit/helpdesk/providers";
import type { Globals } from "../../globals.js";
import { openHelpdesk } from "../../helpdesk.js";
import type { Io } from "../../io.js";
import { forTerminal } from "../../json.js";
import { capLength } from "../../usage.js";
import { createRecordWriter, formatOne, pickFields } from "./format.js";
import { API_PICKS_FIELDS, nextPageFlag } from "./options.js";
import type { Plan } from "./plan.js";
import { write } from "./write.js";

type Json = Record<string, unknown>;

/** Runs one plan. Returns the exit code. */
export async function run(plan: Plan, globals: Globals, io: Io): Promise<number> {
  const { hd, stop } = await openHelpdesk(plan.api, globals, io);
  try {
    return await execute(plan, hd, globals, io);
  } finally {
    await stop();
  }
}

/**
 * What list and get print: the API's own record, or with --unified the unified customer (whole, as
 * the README says). `fields`: the --fields that cskit picks itself, for an API that cannot (Deskero).
 */
const shown = (customer: UnifiedCustomer, unified: boolean, fields?: string): Json =>
  unified ? (customer as unknown as Json) : native(customer.remote.data, fields);
const native = (data: unknown, fields: string | undefined): Json => pickFields(data as Json, fields);

async function execute(plan: Plan, hd: Helpdesk, globals: Globals, io: Io): Promise<number> {
  const unified = "unified" in plan && plan.unified === true;
  const writerOptions = {
    // Cut to the terminal's width when it reports one; a pipe, a file or a terminal of unknown size
    // gets whole cells (a width guessed there would cut columns silently).
    width: io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : Number.POSITIVE_INFINITY,
    fields: "fields" in plan ? plan.fields : undefined,
  };
  // The unified model is Apideck's: --unified prints Apideck's columns for either API.
  const columnsOf: Provider = unified ? "apideck" : plan.api;
  // --fields goes to an API that picks fields (Apideck); for one that cannot (Deskero), cskit picks.
  const asked = "fields" in plan ? plan.fields : undefined;
  const apiFields = API_PICKS_FIELDS[plan.api] ? asked : undefined;
  const ourFields = API_PICKS_FIELDS[plan.api] ? undefined : asked;
  switch (plan.action) {
    case "list": {
      const writer = createRecordWriter(globals.output, columnsOf, io.stdout, writerOptions);
      const query = {
        cursor: plan.cursor ?? (plan.page === undefined ? undefined : String(plan.page)),
        limit: plan.limit,
        fields: apiFields,
        where: plan.where,
      };
      if (!plan.all) {
        const page = await hd.customers.list(query);
        for (const customer of page.items) await writer.write(shown(customer, unified, ourFields));
        await writer.end();
        // Where the next page starts, so that a user can read on (or resume --all from there).
        if (page.next !== null && !globals.quiet) {
          io.stderr.write(
            `cskit: more customers: add ${nextPageFlag(plan.api)} ${forTerminal(capLength(page.next, 200))}\n`,
          );
        }
        return 0;
      }
      const progress = io.stderr.isTTY && !globals.quiet;
      let pages = 0;
      let records = 0;
      const onPage = (n: number) => {
        pages++;
        records += n;
        if (progress) io.stderr.write(`\rpages ${pages}, records ${records}`);
      };
      let written = 0;
      try {
        const options = { ...query, maxItems: plan.maxItems, onPage };
        // The API's own records skip the unified mapping.
        const records: AsyncIterable<UnifiedCustomer | AnyRemote> = unified
          ? hd.customers.iterate(options)
          : hd.customers.iterateRemote(options);
        for await (const record of records) {
          await writer.write(
            unified ? (record as unknown as Json) : native((record as AnyRemote).data, ourFields),
          );
          written++;
        }
      } catch (error) {
        // What was read stays valid output (a json array is closed), then the error line.
        if (written > 0 || globals.output !== "table") await writer.end();
        throw error;
      } finally {
        if (progress) io.stderr.write("\n");
      }
      await writer.end();
      return 0;
    }
    case "get": {
      const record = shown(await hd.customers.get(plan.id, { fields: apiFields }), unified, ourFields);
      if (globals.output !== "csv") {
        io.stdout.write(formatOne(globals.output, record));
        return 0;
      }
      // The same columns as list -o csv, so that both can go to one sheet.
      const writer = createRecordWriter("csv", columnsOf, io.stdout, writerOptions);
      await writer.write(record);
      await writer.end();
      return 0;
    }
    case "delete":
      await hd.customers.delete(plan.id);
      io.stdout.write(formatOne(globals.output, { id: plan.id }));
      return 0;
    case "create":
    case "update":
      return write(plan, hd, globals, io);
  }
}
