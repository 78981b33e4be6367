import { describe, expect, it } from "vitest";
import { resolveTheme, THEME_INIT_SCRIPT, THEME_KEY } from "./theme";

describe("theme", () => {
  it("follows the system unless the user chose", () => {
    expect(resolveTheme(null, true)).toBe("dark");
    expect(resolveTheme(null, false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
    expect(resolveTheme("garbage", true)).toBe("dark");
  });

  it("the pre-paint script reads the same storage key", () => {
    expect(THEME_INIT_SCRIPT).toContain(JSON.stringify(THEME_KEY));
  });
});
