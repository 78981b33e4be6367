import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { MAX_PRESET_NAME_CHARS, MAX_PRESETS_PER_OWNER, savePresetSchema } from "@/lib/schemas/presets";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { deletePreset, listPresets, savePreset } from "./presets";

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(() => t.dispose());

describe("saved presets", () => {
  it("saves with the system prompt, lists oldest first, replaces by name, deletes", async () => {
    const poet = await savePreset(t.store, { name: "Poet", params: { ...DEFAULT_GENERATION_PARAMS, systemPrompt: "Answer in verse.", temperature: 1.2 } });
    const terse = await savePreset(t.store, { name: "Terse", params: { ...DEFAULT_GENERATION_PARAMS, maxNewTokens: 64 } });
    expect((await listPresets(t.store)).map((p) => [p.name, p.params.systemPrompt])).toEqual([
      ["Poet", "Answer in verse."],
      ["Terse", DEFAULT_GENERATION_PARAMS.systemPrompt],
    ]);

    const replaced = await savePreset(t.store, { name: "Poet", params: { ...DEFAULT_GENERATION_PARAMS, systemPrompt: "Haiku only." } });
    expect(replaced.id).toBe(poet.id);
    expect((await listPresets(t.store)).map((p) => [p.id, p.params.systemPrompt])).toEqual([
      [poet.id, "Haiku only."],
      [terse.id, DEFAULT_GENERATION_PARAMS.systemPrompt],
    ]);

    await deletePreset(t.store, { id: poet.id });
    expect((await listPresets(t.store)).map((p) => p.name)).toEqual(["Terse"]);
    await expect(deletePreset(t.store, { id: poet.id })).rejects.toThrow(expect.objectContaining({ kind: "not_found" }));
  });

  it("keeps at most MAX_PRESETS_PER_OWNER presets: a new name beyond it is refused (409), replacing one still works", async () => {
    for (let i = 0; i < MAX_PRESETS_PER_OWNER; i++) await savePreset(t.store, { name: `p${i}`, params: DEFAULT_GENERATION_PARAMS });
    await expect(savePreset(t.store, { name: "one more", params: DEFAULT_GENERATION_PARAMS })).rejects.toMatchObject({ kind: "conflict", field: "name" });
    expect(await listPresets(t.store)).toHaveLength(MAX_PRESETS_PER_OWNER);
    expect((await savePreset(t.store, { name: "p7", params: { ...DEFAULT_GENERATION_PARAMS, topK: 3 } })).params.topK).toBe(3);
    await deletePreset(t.store, { id: (await listPresets(t.store))[0]!.id });
    await savePreset(t.store, { name: "one more", params: DEFAULT_GENERATION_PARAMS });
    expect(await listPresets(t.store)).toHaveLength(MAX_PRESETS_PER_OWNER);
  });

  it("bounds every field: name, system prompt, unknown keys dropped", () => {
    const params = { ...DEFAULT_GENERATION_PARAMS, systemPrompt: "x".repeat(8_001) };
    expect(savePresetSchema.safeParse({ name: "n".repeat(MAX_PRESET_NAME_CHARS + 1), params: DEFAULT_GENERATION_PARAMS }).error?.issues[0]?.path).toEqual(["name"]);
    expect(savePresetSchema.safeParse({ name: "n", params }).error?.issues[0]?.path).toEqual(["params", "systemPrompt"]);
    const extra = savePresetSchema.parse({ name: "n", params: { ...DEFAULT_GENERATION_PARAMS, junk: "y".repeat(100_000) } });
    expect(extra.params).not.toHaveProperty("junk");
  });

  it("the request schema names the field at fault", async () => {
    const bad = savePresetSchema.safeParse({ name: "  ", params: DEFAULT_GENERATION_PARAMS });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["name"], message: "name must not be empty" });
    const badParams = savePresetSchema.safeParse({ name: "x", params: { ...DEFAULT_GENERATION_PARAMS, temperature: 9 } });
    expect(badParams.error?.issues[0]?.path).toEqual(["params", "temperature"]);
  });
});
