// An HTML page as the tokens src/core/html-document.ts builds its tree from, read by Workers' own
// HTML parser (HTMLRewriter, lol-html): a real parser at no cost to the Worker's bundle. Elements,
// text (as written in the source: the core decodes entities) and end tags, in document order.
// Comments are not tokens; attributes are passed as written.
import type { HtmlToken } from '../../core/html-document';

export async function htmlTokens(html: string): Promise<HtmlToken[]> {
  const tokens: HtmlToken[] = [];
  const rewriter = new HTMLRewriter()
    .on('*', {
      element(element) {
        const name = element.tagName.toLowerCase();
        tokens.push({ open: name, attrs: Object.fromEntries([...element.attributes].map(([k, v]) => [k!.toLowerCase(), v ?? ''])) });
        try {
          element.onEndTag(() => {
            tokens.push({ close: name });
          });
        } catch {
          // A void element (<br>, <img>, <input>) has no end tag to wait for.
        }
      },
    })
    .onDocument({
      text(chunk) {
        if (chunk.text) tokens.push({ text: chunk.text });
      },
    });
  // Only the handlers' side effects matter: the transformed body is read and dropped.
  await rewriter.transform(new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } })).arrayBuffer();
  return tokens;
}
