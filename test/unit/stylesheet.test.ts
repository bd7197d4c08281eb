// The stylesheet is edited by hand and merged from several branches: a rule left without its
// closing brace swallows every rule after it (seen once: the phone tables' CSS silently gone).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const STYLESHEETS = ['app.css', 'pages.css'];
const read = (name: string) => readFileSync(new URL(`../../static/${name}`, import.meta.url), 'utf8');

/** Line numbers of braces that open without closing, or close without opening (comments skipped). */
function unbalancedBraces(text: string): string[] {
  const open: number[] = [];
  const problems: string[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return [...problems, `comment opened at line ${line} never closes`];
      line += text.slice(i, end).split('\n').length - 1;
      i = end + 1;
      continue;
    }
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '{') open.push(line);
    else if (c === '}' && open.pop() === undefined) problems.push(`"}" at line ${line} closes nothing`);
  }
  return [...problems, ...open.map((l) => `"{" at line ${l} never closes`)];
}

describe('the stylesheets', () => {
  it.each(STYLESHEETS)('static/%s closes every block it opens', (name) => {
    expect(unbalancedBraces(read(name))).toEqual([]);
  });
  it('finds an unclosed rule (the check itself can fail)', () => {
    expect(unbalancedBraces('.a {\n  color: red;\n/* next */\n.b { color: blue; }')).toEqual(['"{" at line 1 never closes']);
  });
});
