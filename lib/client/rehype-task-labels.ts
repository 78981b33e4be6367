/**
 * GFM task lists render `<input type="checkbox" disabled>` with no label; screen readers then say
 * "checkbox, not checked" with no hint what it is for. This names each box after its item's text.
 */
interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

function textOf(node: HastNode): string {
  if (node.type === "text") return node.value ?? "";
  if (node.tagName === "ul" || node.tagName === "ol") return ""; // nested items name their own boxes
  return (node.children ?? []).map(textOf).join("");
}

function label(node: HastNode): void {
  if (node.tagName === "li") {
    // A loose list wraps the box in a paragraph.
    const candidates = (node.children ?? []).flatMap((c) => (c.tagName === "p" ? (c.children ?? []) : [c]));
    const box = candidates.find((c) => c.tagName === "input" && c.properties?.type === "checkbox");
    if (box) box.properties = { ...box.properties, ariaLabel: textOf(node).trim().slice(0, 200) || "Task" };
  }
  node.children?.forEach(label);
}

export default function rehypeTaskLabels() {
  return (tree: HastNode) => label(tree);
}
