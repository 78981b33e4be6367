import { describe, expect, it, vi } from "vitest";
import { EngineError, isEngineError } from "@/server/engine/types";

// Next.js gives instrumentation.ts (which creates the model host) and the route handlers separate copies
// of server/engine/types.ts; an error thrown by one copy must still be recognised by the other.
describe("EngineError across module copies", () => {
  it("is recognised by instanceof and isEngineError from another copy of the module", async () => {
    vi.resetModules();
    // A query string makes vite load a second, independent instance of the module.
    const specifier = "@/server/engine/types?bundle-copy";
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import("@/server/engine/types");
    expect(copy.EngineError).not.toBe(EngineError);

    const foreign = new copy.EngineError("not_ready", "The model is still downloading");
    expect(foreign instanceof EngineError).toBe(true);
    expect(isEngineError(foreign)).toBe(true);
    expect(new Error("plain") instanceof EngineError).toBe(false);
    expect(Object.assign(new Error("x"), { name: "EngineError" }) instanceof EngineError).toBe(false);
  });
});
