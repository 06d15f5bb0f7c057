// Packing the public packages as npm would publish them, for the scripts that install the tarballs
// outside the repository (packed-install.mjs, ecosystem/run.mjs). `pnpm pack` rewrites the
// `workspace:` and `catalog:` ranges into plain versions.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const repo = join(import.meta.dirname, "..");

/** Every package under packages/ and apps/ that is not private: `{ dir, manifest }`. */
export function publicPackages() {
  return ["packages", "apps"]
    .flatMap((group) => readdirSync(join(repo, group)).map((name) => join(repo, group, name)))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** The packages named and the public packages they depend on, in the order of `packages`. */
export function withDependencies(packages, names) {
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const wanted = new Set();
  const add = (name) => {
    const found = byName.get(name);
    if (found === undefined || wanted.has(name)) return;
    wanted.add(name);
    for (const dependency of Object.keys(found.manifest.dependencies ?? {})) add(dependency);
  };
  for (const name of names) {
    if (!byName.has(name)) throw new Error(`${name} is not a public package of this repository`);
    add(name);
  }
  return packages.filter(({ manifest }) => wanted.has(manifest.name));
}

/** The file name `pnpm pack` gives a package's tarball: `cskit-helpdesk-0.0.0.tgz`. */
export function tarballName(manifest) {
  return `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`;
}

/**
 * Packs `packages` into `destination` (an empty folder) with `run(command, args, options)`, which
 * throws when the command fails. Returns the tarballs' paths, in the order of `packages`.
 */
export function pack(packages, destination, run) {
  for (const { dir } of packages) run("pnpm", ["pack", "--pack-destination", destination], { cwd: dir });
  const made = readdirSync(destination);
  const tarballs = packages.map(({ manifest }) => tarballName(manifest));
  const missing = tarballs.filter((file) => !made.includes(file));
  if (missing.length > 0 || made.length !== packages.length)
    throw new Error(`pack: expected ${tarballs.join(", ")} in ${destination}, found ${made.join(", ")}`);
  return tarballs.map((file) => join(destination, file));
}
