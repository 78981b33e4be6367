import { describe, expect, it } from "vitest";
import { sameOriginTarget, safeNextPath } from "./safe-next-path";

describe("where to go after signing in", () => {
  it("keeps paths of this site, with their query and fragment", () => {
    for (const good of ["/", "/c/1?x=2", "/c/abc#m-3", "/efficiency", "/c/%2F%2Fx", "/a//b"]) expect(safeNextPath(good)).toBe(good);
  });

  it("turns everything that could leave the site into /", () => {
    const hostile = [
      "//evil.example",
      "///evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "/\\evil.example",
      "/\\/evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "\t//evil.example",
      " //evil.example",
      "/\u0000/evil.example",
      "/\u007f/evil.example",
      "/\u0085/evil.example",
      "/.//evil.example",
      "/x/..//evil.example",
      "/%2e//evil.example",
      "evil.example",
      "",
      null,
      undefined,
      `/${"a".repeat(2_001)}`,
    ];
    for (const bad of hostile) expect(safeNextPath(bad), JSON.stringify(bad)).toBe("/");
  });

  it("resolves with the URL parser as the browser does before navigating", () => {
    const here = "http://127.0.0.1:3000/sign-in?next=x";
    expect(sameOriginTarget("/c/1", here)).toBe("/c/1");
    expect(sameOriginTarget("//evil.example", here)).toBe("/");
    expect(sameOriginTarget("/\t/evil.example", here)).toBe("/");
    expect(sameOriginTarget("/\\evil.example", here)).toBe("/");
    expect(sameOriginTarget("https://evil.example/", here)).toBe("/");
  });
});
