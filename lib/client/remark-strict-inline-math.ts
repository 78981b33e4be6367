/**
 * remark-math reads any `$…$` as math, so "it costs $5 and $10" would render "5 and " as a formula.
 * This applies Pandoc's rule for single-dollar math: the opening `$` is not followed by a space, the
 * closing `$` is not preceded by a space nor followed by a digit. Anything else goes back to the text
 * the model wrote. `$$…$$` written on one line (as models often do) is typeset as display math.
 * Hand-written: the rule needs the source around each node, which no plugin exposes.
 */
interface MdNode {
  type: string;
  value?: string;
  data?: { hProperties?: Record<string, unknown> };
  position?: { start: { offset?: number }; end: { offset?: number } };
  children?: MdNode[];
}

function isLooseDollarMath(node: MdNode, source: string): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return false;
  const raw = source.slice(start, end);
  if (!raw.startsWith("$") || raw.startsWith("$$")) return false;
  const inner = raw.slice(1, -1);
  return /^\s/.test(inner) || /\s$/.test(inner) || /^\d/.test(source.charAt(end));
}

function revert(node: MdNode, source: string): void {
  node.children?.forEach((child, i) => {
    if (child.type === "inlineMath" && isLooseDollarMath(child, source)) {
      node.children![i] = { type: "text", value: source.slice(child.position!.start.offset, child.position!.end.offset) };
    } else if (child.type === "inlineMath" && source.startsWith("$$", child.position?.start.offset)) {
      child.data = { ...child.data, hProperties: { ...child.data?.hProperties, className: ["language-math", "math-display"] } };
    } else revert(child, source);
  });
}

export default function remarkStrictInlineMath() {
  return (tree: MdNode, file: { value: unknown }) => revert(tree, String(file.value));
}
