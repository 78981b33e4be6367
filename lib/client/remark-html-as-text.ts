/**
 * A remark plugin that turns raw HTML in Markdown into literal text. Without it react-markdown drops
 * raw HTML silently, so `<script>alert(1)</script>` in an answer would show as "alert(1)" and hide
 * what the model wrote; as text it stays visible and inert (React escapes it). Hand-written because
 * it is a ten-line tree walk; a dependency would be heavier than the code.
 */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

export function htmlToText(node: MdNode): void {
  if (node.type === "html") node.type = "text";
  node.children?.forEach(htmlToText);
}

export default function remarkHtmlAsText() {
  return (tree: MdNode) => htmlToText(tree);
}
