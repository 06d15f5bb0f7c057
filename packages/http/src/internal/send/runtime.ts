/**
 * True on Node itself. Bun and Deno have `process.getBuiltinModule` too, and workerd with
 * nodejs_compat a node:http that drops the headers: their fetch is their own.
 */
export function onNode(): boolean {
  const versions = globalThis.process?.versions as Record<string, string | undefined> | undefined;
  return (
    typeof globalThis.process?.getBuiltinModule === "function" &&
    globalThis.navigator?.userAgent?.startsWith("Node.js/") === true &&
    !versions?.bun &&
    !("Deno" in globalThis)
  );
}
