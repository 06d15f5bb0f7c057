#!/usr/bin/env node
// Part of the build: copies the repository's specs/*.yaml (the one edited source) into dist/specs/,
// so that the published package carries the specs it reads at run time.
import { cpSync, readdirSync, rmSync } from "node:fs";

const from = new URL("../../../specs/", import.meta.url);
const to = new URL("../dist/specs/", import.meta.url);
rmSync(to, { recursive: true, force: true });
const specs = readdirSync(from).filter((name) => name.endsWith(".yaml"));
if (specs.length === 0) throw new Error(`no *.yaml in ${from.pathname}`);
for (const name of specs) cpSync(new URL(name, from), new URL(name, to));
