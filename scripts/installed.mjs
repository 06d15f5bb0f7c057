// What a package manager put in a project's node_modules, read from disk: every installed package
// (npm's nested folders and pnpm's .pnpm store alike), the install scripts they declare, and the size.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// npm and pnpm run these on install; a binding.gyp without an install script means `node-gyp rebuild`.
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];

/** Every package under `nodeModules` (symlinks not followed, so each copy once): name, version, folder. */
export function installedPackages(nodeModules) {
  const found = [];
  const visit = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === ".bin") continue;
      const path = join(folder, entry.name);
      if (entry.name.startsWith("@")) {
        visit(path);
        continue;
      }
      if (entry.name === ".pnpm") {
        // pnpm's store: .pnpm/<name>@<version>/node_modules/<name>, its dependencies as symlinks beside it
        for (const stored of readdirSync(path, { withFileTypes: true }))
          if (stored.isDirectory() && existsSync(join(path, stored.name, "node_modules")))
            visit(join(path, stored.name, "node_modules"));
        continue;
      }
      const manifestPath = join(path, "package.json");
      if (existsSync(manifestPath) && lstatSync(manifestPath).isFile()) {
        const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
        found.push({ name: manifest.name, version: manifest.version, path, manifest });
      }
      if (existsSync(join(path, "node_modules"))) visit(join(path, "node_modules"));
    }
  };
  visit(nodeModules);
  return found;
}

/** The packages that would run something at install time, as "name@version (script: command)". */
export function installScripts(packages) {
  return packages.flatMap(({ name, version, path, manifest }) => {
    const scripts = INSTALL_SCRIPTS.filter((script) => manifest.scripts?.[script]).map(
      (script) => `${name}@${version} (${script}: ${manifest.scripts[script]})`,
    );
    if (scripts.length === 0 && existsSync(join(path, "binding.gyp")))
      scripts.push(`${name}@${version} (binding.gyp: node-gyp rebuild)`);
    return scripts;
  });
}

/** Disk use of a folder in bytes, as `du` counts it (hard links once). */
export function diskUse(folder) {
  const result = spawnSync("du", ["-sk", folder], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`du ${folder} failed: ${result.stderr}`);
  return Number(result.stdout.split("\t")[0]) * 1024;
}
