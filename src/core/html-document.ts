// Reads a published report's web page into what the importer needs: the article's lines of text
// and its tables as rows of cells. Pure (no I/O, no DOM): it builds the page's element tree from
// the tokens of a real HTML parser — Workers' HTMLRewriter (lol-html), run by the area in
// src/areas/admin/html-tokens.ts — so it adds no parser to the Worker's bundle.
//
// Why a parser and not regular expressions over tags: government pages are Word exports and
// site templates. Word splits one number over several spans (`<td><span>78</span><span>967</span></td>`
// is 78967), attributes contain `>` (a regex leaves `0">` in the text), and whitespace between
// tags is not text. Here a table cell's text is joined before anyone reads a number from it, and
// tables keep their columns (colspan, rowspan).
//
// Why the article is looked for: a saved page carries the whole site (menus, header, share
// bars, footer, links to other pages). The article is the deepest element holding the most of
// the report's numbered parts (一、… 二、…); only its content is read.

/**
 * What the parser saw, in document order: an element opening (tag names lower case), text as
 * written in the source (entities not yet decoded), an end tag. Elements whose end tag is
 * missing (</p>, </td> left out) are closed here, as HTML implies.
 */
export type HtmlToken = { open: string; attrs: Record<string, string> } | { text: string } | { close: string };

/** A table's row: its own cells in order (cells covered by a span from above are not repeated). */
export interface TableRow {
  cells: TableCell[];
}
export interface TableCell {
  /** The cell's text, its pieces joined; paragraphs inside a cell separated by one space. */
  text: string;
  /** The first grid column the cell occupies (colspans and rowspans taken into account). */
  column: number;
  colspan: number;
  header: boolean;
}

export type Block = { kind: 'text'; text: string } | { kind: 'table'; rows: TableRow[]; caption?: string };

export interface HtmlDocument {
  /** The page's <title>, when it has one. */
  title?: string;
  /** The article's content in order: paragraphs (one line each) and tables. */
  blocks: Block[];
  /** Lines of the page before the article (where sites print the title and publication date). */
  before: string[];
}

interface Node {
  tag: string;
  attrs: Record<string, string>;
  children: (Node | string)[];
  parent: Node | null;
}

/** Elements whose content is never text of the page. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe', 'svg', 'math', 'select', 'option', 'button', 'input', 'textarea', 'object', 'embed', 'canvas', 'map', 'audio', 'video']);
/** Elements that start a new line. */
const BLOCK = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'section', 'article', 'main', 'header', 'footer',
  'nav', 'aside', 'blockquote', 'pre', 'center', 'address', 'figure', 'figcaption', 'form', 'fieldset', 'hr', 'body', 'html', 'caption',
  'tr', 'td', 'th', 'table', 'thead', 'tbody', 'tfoot',
]);
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr', 'param']);

/** A numbered part heading of a report: 一、总体情况, 二、主动公开政府信息情况, 六、… */
const PART_HEADING = /^[一二三四五六七八九十]{1,3}、/;
/** Lines of the site around an article that end it: 上一篇/下一篇, print, close, share, downloads. */
const SITE_FURNITURE = /^(?:【?上一篇|【?下一篇|附件下载|扫一扫|【?打印|【?关闭|分享到|相关链接|【?字体|【?字号|责任编辑)/;

/** Opening one of these closes an open <p> (as HTML does). */
const CLOSES_P = new Set(['p', 'div', 'table', 'ul', 'ol', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'form', 'hr']);
/** An opening tag closes the nearest open element of these kinds (and all inside it), not past the containers named. */
const IMPLIED: Record<string, { closes: string[]; within: string[] }> = {
  td: { closes: ['td', 'th'], within: ['tr', 'table'] },
  th: { closes: ['td', 'th'], within: ['tr', 'table'] },
  tr: { closes: ['tr'], within: ['table', 'tbody', 'thead', 'tfoot'] },
  tbody: { closes: ['tbody', 'thead', 'tfoot'], within: ['table'] },
  thead: { closes: ['tbody', 'thead', 'tfoot'], within: ['table'] },
  tfoot: { closes: ['tbody', 'thead', 'tfoot'], within: ['table'] },
  li: { closes: ['li'], within: ['ul', 'ol'] },
  dt: { closes: ['dt', 'dd'], within: ['dl'] },
  dd: { closes: ['dt', 'dd'], within: ['dl'] },
};

function treeOf(tokens: Iterable<HtmlToken>): Node {
  const root: Node = { tag: '#root', attrs: {}, children: [], parent: null };
  let current = root;
  /** Closes the nearest open element named in `names`, unless a `within` container comes first. */
  const closeNearest = (names: string[], within: string[]) => {
    for (let node: Node | null = current; node && node !== root; node = node.parent) {
      if (within.includes(node.tag)) return;
      if (names.includes(node.tag)) {
        current = node.parent ?? root;
        return;
      }
    }
  };
  for (const token of tokens) {
    if ('text' in token) {
      current.children.push(decodeEntities(token.text));
    } else if ('open' in token) {
      const name = token.open;
      const implied = IMPLIED[name];
      if (implied) closeNearest(implied.closes, implied.within);
      if (CLOSES_P.has(name)) closeNearest(['p'], ['td', 'th', 'li', 'div', 'table']);
      const node: Node = { tag: name, attrs: token.attrs, children: [], parent: current };
      current.children.push(node);
      if (!VOID.has(name)) current = node;
    } else if (!VOID.has(token.close)) {
      // Walk up to the element closed; an end tag nothing opened is ignored.
      for (let node: Node | null = current; node && node !== root; node = node.parent) {
        if (node.tag === token.close) {
          current = node.parent ?? root;
          break;
        }
      }
    }
  }
  return root;
}

/** Entities a report page uses; numeric ones all. (Unknown names are left as written.) */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', middot: '·', mdash: '—',
  ndash: '–', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', hellip: '…', times: '×', divide: '÷', deg: '°', plusmn: '±', yen: '¥',
  copy: '©', reg: '®', bull: '•', permil: '‰', sect: '§', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', rarr: '→', larr: '←',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED[name.toLowerCase()];
    return named ?? whole;
  });
}

const hidden = (node: Node) => /display\s*:\s*none|visibility\s*:\s*hidden/i.test(node.attrs.style ?? '') || 'hidden' in node.attrs;
const collapse = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, ' ');

/** The text of an element as one line: pieces joined, block boundaries as one space. */
function inlineText(node: Node): string {
  const out: string[] = [];
  const walk = (n: Node) => {
    for (const child of n.children) {
      if (typeof child === 'string') out.push(child);
      else if (!SKIP.has(child.tag) && !hidden(child)) {
        const block = BLOCK.has(child.tag) || child.tag === 'br';
        if (block) out.push(' ');
        walk(child);
        if (block) out.push(' ');
      }
    }
  };
  walk(node);
  return collapse(out.join('')).trim();
}

const span = (value: string | undefined, max: number) => {
  const n = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
};

/** The rows of a table (not of tables nested in it), laid on a grid so that columns line up. */
function tableRows(table: Node): TableRow[] {
  const trs: Node[] = [];
  const collect = (n: Node) => {
    for (const child of n.children) {
      if (typeof child === 'string' || child.tag === 'table') continue;
      if (child.tag === 'tr') trs.push(child);
      else collect(child);
    }
  };
  collect(table);
  /** Grid positions taken by rowspans from rows above: row index → columns. */
  const taken = new Map<number, Set<number>>();
  return trs.map((tr, r) => {
    const cells: TableCell[] = [];
    const busy = taken.get(r) ?? new Set<number>();
    let column = 0;
    for (const td of tr.children) {
      if (typeof td === 'string' || (td.tag !== 'td' && td.tag !== 'th') || hidden(td)) continue;
      while (busy.has(column)) column++;
      const colspan = span(td.attrs.colspan, 100);
      const rowspan = span(td.attrs.rowspan, 1000);
      cells.push({ text: inlineText(td), column, colspan, header: td.tag === 'th' });
      for (let dr = 1; dr < rowspan; dr++) {
        const below = taken.get(r + dr) ?? new Set<number>();
        for (let dc = 0; dc < colspan; dc++) below.add(column + dc);
        taken.set(r + dr, below);
      }
      column += colspan;
    }
    return { cells };
  });
}

/** A table used for page layout (it holds other tables or whole paragraphs), not data. */
function isLayoutTable(table: Node): boolean {
  let nested = false;
  const look = (n: Node) => {
    for (const child of n.children) {
      if (typeof child === 'string') continue;
      if (child.tag === 'table') nested = true;
      else look(child);
    }
  };
  look(table);
  if (nested) return true;
  return tableRows(table).some((row) => row.cells.some((cell) => cell.text.length > 300));
}

interface Located {
  block: Block;
  /** The elements the block lies in, outermost first. */
  path: Node[];
}

/** Every line and table of a subtree, with the elements each lies in. */
function render(root: Node): Located[] {
  const out: Located[] = [];
  const stack: Node[] = [];
  let line: string[] = [];
  let linePath: Node[] | null = null;
  const flush = () => {
    const text = collapse(line.join('')).trim();
    if (text) out.push({ block: { kind: 'text', text }, path: linePath ?? [...stack] });
    line = [];
    linePath = null;
  };
  const walk = (n: Node) => {
    for (const child of n.children) {
      if (typeof child === 'string') {
        if (!linePath && child.trim()) linePath = [...stack];
        line.push(child);
        continue;
      }
      if (SKIP.has(child.tag) || hidden(child)) continue;
      if (child.tag === 'br') {
        flush();
        continue;
      }
      if (child.tag === 'table' && !isLayoutTable(child)) {
        flush();
        const rows = tableRows(child).filter((row) => row.cells.some((cell) => cell.text));
        const captionNode = child.children.find((c): c is Node => typeof c !== 'string' && c.tag === 'caption');
        const caption = captionNode ? inlineText(captionNode) : '';
        if (rows.length) out.push({ block: { kind: 'table', rows, ...(caption ? { caption } : {}) }, path: [...stack, child] });
        continue;
      }
      const block = BLOCK.has(child.tag);
      if (block) flush();
      stack.push(child);
      walk(child);
      stack.pop();
      if (block) flush();
    }
  };
  walk(root);
  flush();
  return out;
}

/**
 * The page's article and its tables. `isHeading` says which lines are the report's parts
 * (default: numbered 一、二、… lines); the article is the deepest element holding the most
 * distinct ones. A fragment without any (a table pasted alone) is read whole.
 */
export function readHtml(tokens: Iterable<HtmlToken>, isHeading: (line: string) => boolean = (line) => PART_HEADING.test(line.normalize('NFKC').trim())): HtmlDocument {
  const root = treeOf(tokens);
  const titleNode = findFirst(root, 'title');
  const title = titleNode ? inlineText(titleNode) : undefined;
  const located = render(root);

  const headingsIn = new Map<Node, Set<string>>();
  for (const { block, path } of located) {
    if (block.kind !== 'text' || !isHeading(block.text)) continue;
    for (const node of path) {
      if (!headingsIn.has(node)) headingsIn.set(node, new Set());
      headingsIn.get(node)!.add(block.text);
    }
  }
  let article: Node | null = null;
  let best = 0;
  let bestDepth = -1;
  for (const [node, headings] of headingsIn) {
    const depth = depthOf(node);
    if (headings.size > best || (headings.size === best && depth > bestDepth)) {
      article = node;
      best = headings.size;
      bestDepth = depth;
    }
  }
  // One heading is no evidence of an article: a page with one numbered line is read whole.
  if (best < 2) article = null;

  const inside = article ? located.filter((l) => l.path.includes(article!)) : located;
  const first = article ? located.findIndex((l) => l.path.includes(article!)) : 0;
  const before = located
    .slice(0, Math.max(first, 0))
    .flatMap((l) => (l.block.kind === 'text' ? [l.block.text] : []));
  const blocks: Block[] = [];
  for (const { block } of inside) {
    if (block.kind === 'text' && SITE_FURNITURE.test(block.text)) {
      if (blocks.length) break; // the article ends where the site's own links begin
      continue;
    }
    blocks.push(block);
  }
  return { ...(title ? { title } : {}), blocks, before };
}

function findFirst(node: Node, tag: string): Node | undefined {
  for (const child of node.children) {
    if (typeof child === 'string') continue;
    if (child.tag === tag) return child;
    const found = findFirst(child, tag);
    if (found) return found;
  }
  return undefined;
}

function depthOf(node: Node): number {
  let depth = 0;
  for (let n = node.parent; n; n = n.parent) depth++;
  return depth;
}

/** A document as plain text: one line per paragraph, a table row per line with its cells separated by tabs. */
export function blocksToText(blocks: Block[]): string {
  return blocks
    .map((block) => (block.kind === 'text' ? block.text : block.rows.map((row) => row.cells.map((c) => c.text).join('\t')).join('\n')))
    .join('\n\n');
}
