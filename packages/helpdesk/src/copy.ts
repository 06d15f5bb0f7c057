type Json = Record<string, unknown>;

/** A deep copy of JSON data (what a server sends): arrays and plain objects are copied, the rest kept. */
export function copyJson<T>(value: T): T {
  try {
    return copyRecursive(value);
  } catch (error) {
    // A hostile server's 100,000-deep value overflows the stack: copy it without recursion.
    if (error instanceof RangeError) return copyIterative(value);
    throw error;
  }
}

function copyRecursive<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyRecursive) as T;
  if (value === null || typeof value !== "object") return value;
  const copy: Json = {};
  for (const key of Object.keys(value)) setKey(copy, key, copyRecursive((value as Json)[key]));
  return copy as T;
}

/** JSON.parse makes "__proto__" an own key; plain assignment would set the prototype instead. */
export function setKey(target: Json, key: string, item: unknown) {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value: item, enumerable: true, writable: true, configurable: true });
  else target[key] = item;
}

const shell = (value: unknown): unknown =>
  Array.isArray(value) ? new Array(value.length) : value !== null && typeof value === "object" ? {} : value;

function copyIterative<T>(value: T): T {
  const root = shell(value);
  const stack: [unknown, unknown][] = [[value, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [Json, Json];
    if (from === null || typeof from !== "object") continue;
    for (const key of Object.keys(from)) {
      const item = shell(from[key]);
      if (Array.isArray(to)) to[Number(key)] = item;
      else setKey(to, key, item);
      stack.push([from[key], item]);
    }
  }
  return root as T;
}

/** Deep equality of JSON data, without recursion; undefined and absent keys are equal. */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown];
    if (x === y) continue;
    if (x === null || y === null || typeof x !== "object" || typeof y !== "object") return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const key of keys) stack.push([(x as Json)[key], (y as Json)[key]]);
  }
  return true;
}
