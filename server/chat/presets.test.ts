import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { savePresetSchema } from "@/lib/schemas/presets";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { deletePreset, listPresets, savePreset } from "./presets";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

describe("saved presets", () => {
  it("saves with the system prompt, lists oldest first, replaces by name, deletes", () => {
    const poet = savePreset(t.db, { name: "Poet", params: { ...DEFAULT_GENERATION_PARAMS, systemPrompt: "Answer in verse.", temperature: 1.2 } });
    const terse = savePreset(t.db, { name: "Terse", params: { ...DEFAULT_GENERATION_PARAMS, maxNewTokens: 64 } });
    expect(listPresets(t.db).map((p) => [p.name, p.params.systemPrompt])).toEqual([
      ["Poet", "Answer in verse."],
      ["Terse", DEFAULT_GENERATION_PARAMS.systemPrompt],
    ]);

    const replaced = savePreset(t.db, { name: "Poet", params: { ...DEFAULT_GENERATION_PARAMS, systemPrompt: "Haiku only." } });
    expect(replaced.id).toBe(poet.id);
    expect(listPresets(t.db).map((p) => [p.id, p.params.systemPrompt])).toEqual([
      [poet.id, "Haiku only."],
      [terse.id, DEFAULT_GENERATION_PARAMS.systemPrompt],
    ]);

    deletePreset(t.db, { id: poet.id });
    expect(listPresets(t.db).map((p) => p.name)).toEqual(["Terse"]);
    expect(() => deletePreset(t.db, { id: poet.id })).toThrow(expect.objectContaining({ kind: "not_found" }));
  });

  it("the request schema names the field at fault", () => {
    const bad = savePresetSchema.safeParse({ name: "  ", params: DEFAULT_GENERATION_PARAMS });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["name"], message: "name must not be empty" });
    const badParams = savePresetSchema.safeParse({ name: "x", params: { ...DEFAULT_GENERATION_PARAMS, temperature: 9 } });
    expect(badParams.error?.issues[0]?.path).toEqual(["params", "temperature"]);
  });
});
