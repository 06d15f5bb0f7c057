// findStateFile and temporaryStateFile on a real folder.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  defaultStatePath,
  findStateFile,
  StateFileError,
  stateFilesIn,
  temporaryStateFile,
} from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("findStateFile", () => {
  it("returns the named file, or the default of the pair", () => {
    const dir = tempDir();
    expect(findStateFile({ state: "x.sqlite", from: "apideck", to: "deskero", dir })).toBe("x.sqlite");
    expect(findStateFile({ from: "deskero", to: "apideck", dir })).toBe(
      defaultStatePath("deskero", "apideck", dir),
    );
    expect(() => findStateFile({ from: "deskero", dir })).toThrow(TypeError);
  });

  it("finds the only state file in .cskit/, and refuses to guess among several", () => {
    const dir = tempDir();
    expect(() => findStateFile({ dir })).toThrow(StateFileError);
    mkdirSync(join(dir, ".cskit"));
    writeFileSync(join(dir, ".cskit", "notes.txt"), "");
    writeFileSync(join(dir, ".cskit", "migrate-deskero-apideck.sqlite"), "");
    expect(findStateFile({ dir })).toBe(join(dir, ".cskit", "migrate-deskero-apideck.sqlite"));
    writeFileSync(join(dir, ".cskit", "migrate-apideck-deskero.sqlite"), "");
    let caught: unknown;
    try {
      findStateFile({ dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StateFileError);
    expect((caught as StateFileError).found).toEqual([
      "migrate-apideck-deskero.sqlite",
      "migrate-deskero-apideck.sqlite",
    ]);
    expect(stateFilesIn(dir)).toEqual((caught as StateFileError).found);
  });

  it("with no option looks in the current folder", () => {
    const dir = tempDir();
    mkdirSync(join(dir, ".cskit"));
    writeFileSync(join(dir, ".cskit", "migrate-apideck-deskero.sqlite"), "");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(findStateFile()).toBe(
        join(".cskit", "migrate-apideck-deskero.sqlite").replace(/^/, `${process.cwd()}/`),
      );
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("temporaryStateFile", () => {
  it("is a file in a new folder that remove() deletes", async () => {
    const { file, remove } = await temporaryStateFile();
    writeFileSync(file, "x");
    await remove();
    expect(existsSync(file)).toBe(false);
  });
});
