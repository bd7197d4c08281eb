// The small things a reader or a supervisor meets on every visit (issue 14, item 11): the icon
// at /favicon.ico (and linked by every page), the statistics page's choice of jurisdiction from
// a list instead of a typed code (a plain GET form), and the count of reports waiting on the
// supervisor's way to /app/review.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, fillAndSubmit, openCycle, setUpTree, type Sessions } from './review-helpers';

let s: Sessions;

beforeAll(async () => {
  s = await setUpTree();
});

describe('/favicon.ico', () => {
  it('is a small icon, cacheable, and every page links it', async () => {
    const res = await call('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=86400');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]); // an ICO header
    expect(bytes.length).toBeLessThan(2048);
    for (const path of ['/', '/reports', '/signin', '/stats/2020']) {
      expect(await (await call(path)).text(), path).toContain('<link rel="icon" href="/favicon.ico"');
    }
  });
});

describe('/stats/{year}: the jurisdiction', () => {
  it('is chosen from the units with units below them, by a GET form without script', async () => {
    const html = await (await call('/stats/2020')).text();
    const form = html.match(/<form[^>]*action="\/stats\/2020"[\s\S]*?<\/form>/)?.[0] ?? '';
    expect(form).toContain('method="get"');
    expect(form).not.toMatch(/<input[^>]*name="within"/);
    const options = [...form.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map((m) => [m[1], m[3]!.trim(), Boolean(m[2])]);
    // The roots with units below them; the towns (no units below) are not offered.
    expect(options).toEqual([
      ['', '全部单位', true],
      ['ZS-DH', '定海区人民政府及下级单位', false],
    ]);
  });

  it('shows the choice made, and 「全部单位」 (an empty within) is the page without a filter', async () => {
    const chosen = await (await call('/stats/2020?within=ZS-DH')).text();
    expect(chosen).toContain('<option value="ZS-DH" selected="">');
    const all = await call('/stats/2020?within=');
    expect(all.status).toBe(303);
    expect(all.headers.get('Location')).toBe('/stats/2020');
    const kept = await call('/stats/2020?lang=en&within=');
    expect(kept.headers.get('Location')).toBe('/stats/2020?lang=en');
  });
});

describe('the way to /app/review', () => {
  it('counts the reports waiting for the viewer', async () => {
    const button = async (cookie: string) => (await (await call('/app', { cookie })).text()).match(/href="\/app\/review"[^>]*>([^<]*)</)?.[1]?.trim();
    expect(await button(s.supervisor)).toBe('待审核的报告（0）');
    await openCycle(2061);
    await fillAndSubmit(s.clerk, 'JT', 2061);
    await fillAndSubmit(s.clerk, 'BQ', 2061);
    expect(await button(s.supervisor)).toBe('待审核的报告（2）');
    expect(await button(s.admin)).toBe('待审核的报告（2）');
    expect(await button(s.outsider)).toBe('待审核的报告（0）'); // another tree's supervisor
    expect(await button(s.clerk)).toBeUndefined(); // a clerk does not review
  });
});
