/**
 * Every class name KaTeX's HTML output can carry: the classes its stylesheet (katex/dist/katex.css)
 * styles, plus the semantic atom classes it emits without styling them (mord, mbin, …). The sanitizer
 * keeps only these on math spans, so an answer can never borrow the app's own utility classes
 * (e.g. "fixed inset-0") to draw over the page. katex-classes.test.ts checks that KaTeX's output for a
 * corpus of formulas uses nothing outside this list, so a KaTeX upgrade that adds classes is noticed.
 */
export const KATEX_CLASSES: ReadonlySet<string> = new Set([
  "accent-body", "accent-full", "amsrm", "angl", "anglpad", "arraycolsep", "base", "boldsymbol", "boxpad",
  "brace-center", "brace-left", "brace-right", "cancel-lap", "cancel-pad", "cd-arrow-pad", "cd-label-left",
  "cd-label-right", "cd-vert-arrow", "clap", "colorbox", "col-align-c", "col-align-l", "col-align-r", "com",
  "delim-size1", "delim-size4", "delimcenter", "delimsizing", "eqn-num", "fbox", "fcolorbox", "fleqn",
  "fontsize-ensurer", "frac-line", "halfarrow-left", "halfarrow-right", "hide-tail", "katex", "katex-accent",
  "katex-base", "katex-display", "katex-fix", "katex-hdashline", "katex-hline", "katex-html", "katex-inner",
  "katex-mathml", "katex-newline", "katex-overlay", "katex-overline", "katex-root", "katex-rule",
  "katex-sizing", "katex-smash", "katex-sout", "katex-stretchy", "katex-strut", "katex-tag", "katex-thinbox",
  "katex-underline", "katex-vbox", "katex-version", "large-op", "leqno", "llap", "mainrm", "mathbb",
  "mathbf", "mathboldfrak", "mathboldsf", "mathcal", "mathfrak", "mathit", "mathitsf", "mathnormal",
  "mathrm", "mathscr", "mathsf", "mathsfit", "mathtt", "mbin", "mclose", "mfrac", "minner", "mml-eqn-num",
  "mop", "mopen", "mord", "mover", "mpunct", "mrel", "mspace", "msupsub", "mtable", "mtight", "mtr-glue",
  "mult", "munder", "nobreak", "nulldelimiter", "op-limits", "op-symbol", "overline-line", "pstrut",
  "reflectbox", "reset-size1", "reset-size10", "reset-size11", "reset-size2", "reset-size3", "reset-size4",
  "reset-size5", "reset-size6", "reset-size7", "reset-size8", "reset-size9", "rlap", "size1", "size10",
  "size11", "size2", "size3", "size4", "size5", "size6", "size7", "size8", "size9", "small-op", "sqrt",
  "strut", "svg-align", "text", "textbb", "textbf", "textboldfrak", "textboldsf", "textfrak", "textit",
  "textitsf", "textrm", "textscr", "textsf", "texttt", "underline-line", "vertical-separator", "vlist",
  "vlist-r", "vlist-s", "vlist-t", "vlist-t2", "x-arrow", "x-arrow-pad",
]);
