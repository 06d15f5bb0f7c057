// Node, Bun and Deno: runs the program with the configuration in CSKIT_ECOSYSTEM_CONFIG and prints its
// result as one JSON line.
import { checkAll } from "./program.mjs";

const config = globalThis.Deno ? Deno.env.get("CSKIT_ECOSYSTEM_CONFIG") : process.env.CSKIT_ECOSYSTEM_CONFIG;
console.log(JSON.stringify(await checkAll(JSON.parse(config))));
