/**
 * What the sanitizer lets through an answer. Model output is untrusted, so the schema starts from
 * GitHub's (rehype-sanitize's default) and widens it only for what our plugins produce: a fence's
 * `language-*` class (for highlighting) and KaTeX's output — its class names (an allowlist, so an answer
 * cannot borrow the app's utility classes), the layout-only inline styles it computes (no `url(`, no
 * `position: fixed`), its MathML for screen readers and the SVG it draws stretchy symbols with.
 * Event handlers, scripts, `javascript:` URLs and raw HTML stay out.
 */
import { defaultSchema } from "rehype-sanitize";
import { KATEX_CLASSES } from "./katex-classes";

type Schema = typeof defaultSchema;
type AttributeRule = NonNullable<Schema["attributes"]>[string][number];

const katexClass = [...KATEX_CLASSES];

const STYLE_PROPERTIES = [
  "height", "width", "min-width", "max-width", "top", "bottom", "left", "right",
  "margin-left", "margin-right", "margin-top", "margin-bottom", "padding-left", "padding-right", "padding-top", "padding-bottom",
  "vertical-align", "border-width", "border-style", "border-color", "border-top-width", "border-bottom-width",
  "border-left-width", "border-right-width", "color", "background-color",
].join("|");
const DECLARATION = String.raw`\s*(?:(?:${STYLE_PROPERTIES})\s*:\s*[-#.%\w ]+|position\s*:\s*(?:relative|absolute))\s*`;
/** A `;`-separated list of the declarations above: plain values only, no parentheses (no `url()`). */
export const KATEX_STYLE = new RegExp(String.raw`^(?:${DECLARATION};)*(?:${DECLARATION})?;?\s*$`);

const MATHML_TAGS = [
  "math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
  "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mstyle", "mpadded", "mphantom", "menclose",
  "mtable", "mtr", "mtd", "mlabeledtr", "merror",
];
const MATHML_ATTRIBUTES = [
  "xmlns", "display", "encoding", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "width",
  "height", "depth", "columnalign", "rowspacing", "columnspacing", "columnlines", "rowlines", "accent", "accentunder",
  "minsize", "maxsize", "movablelimits", "notation", "scriptlevel", "displaystyle", "linethickness", "mathcolor",
  "mathbackground", "symmetric", "largeop", "voffset",
];

const mathml = Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES as AttributeRule[]]));

export const markdownSanitizeSchema: Schema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), ...MATHML_TAGS, "svg", "path", "line"],
  attributes: {
    ...defaultSchema.attributes,
    ...mathml,
    code: [...(defaultSchema.attributes?.code ?? []), ["className", /^language-./]],
    span: [...(defaultSchema.attributes?.span ?? []), ["className", ...katexClass], ["style", KATEX_STYLE], "ariaHidden"],
    svg: ["xmlns", "width", "height", "viewBox", "preserveAspectRatio", ["style", KATEX_STYLE]],
    path: ["d"],
    line: ["x1", "x2", "y1", "y2", "strokeWidth"],
  },
};
