import { describe, expect, it } from "vitest";
import { htmlToText } from "./remark-html-as-text";

describe("remarkHtmlAsText", () => {
  it("turns raw HTML nodes at any depth into text nodes with the same value", () => {
    const tree = {
      type: "root",
      children: [
        { type: "html", value: "<script>alert(1)</script>" },
        { type: "paragraph", children: [{ type: "text", value: "a " }, { type: "html", value: "<img src=x onerror=alert(2)>" }] },
      ],
    };
    htmlToText(tree);
    expect(tree.children[0]).toEqual({ type: "text", value: "<script>alert(1)</script>" });
    expect(tree.children[1].children?.[1]).toEqual({ type: "text", value: "<img src=x onerror=alert(2)>" });
  });
});
