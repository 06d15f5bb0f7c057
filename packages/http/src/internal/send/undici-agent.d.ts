// undici's Agent module, loaded alone by undici-sender.ts (its types are undici's `Agent`).
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: unknown;
  export default Agent;
}
