// Cloudflare Workers (workerd): the same program behind a Worker's fetch handler; the configuration
// comes as the CONFIG binding, the result goes back as the JSON body (an error as a 500 with its stack).
import { checkAll } from "./program.mjs";

export default {
  async fetch(_request, env) {
    try {
      return Response.json(await checkAll(JSON.parse(env.CONFIG)));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
