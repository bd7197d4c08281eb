// Corrections in the browser: from a published report an administrator who manages the unit
// reaches 「更正此报告」, must give a reason (an empty one is an error summary, nothing changes),
// lands on the draft; the published version stays public; once the correction is approved, the
// version history lists both versions with date, reason and approver. Nobody else may do it.
import { beforeAll, describe, expect, it } from 'vitest';
import { fillAndSubmit, mailTo, postForm, reportRow, reviewMails } from './review-helpers';
import { PUBLISHED_YEAR, request, setUpWorld, stateCounts, type World } from './probe-helpers';

let world: World;
const CORRECT = `/app/admin/reports/A/${PUBLISHED_YEAR}/correct`;
const VERSIONS = `/app/admin/reports/A/${PUBLISHED_YEAR}/versions`;
const ORIGIN = { Origin: 'https://nianbao.test' };

const get = (path: string, cookie?: string) => request('GET', path, { headers: cookie ? { Cookie: cookie } : {} });
const correct = (cookie: string, reason: string) => postForm(CORRECT, { reason }, { cookie, headers: ORIGIN });

beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

describe('correcting a published report', () => {
  it('is offered on the report to an administrator who manages the unit, and to no one else', async () => {
    const html = await (await get(`/app/reports/A/${PUBLISHED_YEAR}`, world.admin)).text();
    expect(html).toContain(`href="${CORRECT}"`);
    expect(html).toContain(`href="${VERSIONS}"`);
    const supervisor = await (await get(`/app/reports/A/${PUBLISHED_YEAR}`, world.supervisorP)).text();
    expect(supervisor).not.toContain(CORRECT);
  });

  it('refuses the anonymous, clerks, supervisors and an administrator of another subtree', async () => {
    expect((await get(CORRECT)).headers.get('Location')).toMatch(/^\/signin\?next=/);
    for (const cookie of [world.clerkA, world.supervisorP, world.adminQ]) {
      expect((await get(CORRECT, cookie)).status).toBe(403);
      expect((await get(VERSIONS, cookie)).status).toBe(403);
    }
    const before = await stateCounts();
    for (const cookie of [world.clerkA, world.supervisorP, world.adminQ]) expect((await correct(cookie, '数字有误')).status).toBe(403);
    expect(await stateCounts()).toEqual(before);
    expect((await reportRow('A', PUBLISHED_YEAR))!.status).toBe('published');
  });

  it('says what reopening does, and refuses an empty reason with an error summary', async () => {
    const page = await (await get(CORRECT, world.admin)).text();
    expect(page).toContain('在更正获批之前仍然公开');
    const before = await stateCounts();
    const res = await correct(world.admin, '   ');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('<a href="#reason">请填写更正原因</a>');
    expect(html).toMatch(/<textarea id="reason"[^>]*aria-invalid="true"/);
    expect(await stateCounts()).toEqual(before);
  });

  it('with a reason lands on the draft, keeps the published version public, and the history lists every version', async () => {
    const res = await correct(world.admin, '第三部分数字录入有误');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/app/reports/A/${PUBLISHED_YEAR}`);
    expect((await reportRow('A', PUBLISHED_YEAR))!.status).toBe('draft');
    expect((await get(`/reports/A/${PUBLISHED_YEAR}`)).status).toBe(200);
    const during = await (await get(VERSIONS, world.admin)).text();
    expect(during).toContain('正在更正');
    expect(during).toContain(`href="/reports/A/${PUBLISHED_YEAR}?version=1"`);

    // The clerk corrects and submits; P's supervisor approves: version 2, with the reason.
    await fillAndSubmit(world.clerkA, 'A', PUBLISHED_YEAR);
    const approved = await postForm(mailTo(await reviewMails('A', PUBLISHED_YEAR), world.emails.supervisorP).path, { decision: 'approve', comment: '', confirm: 'publish' });
    expect(approved.status).toBeLessThan(400);
    const history = await (await get(VERSIONS, world.admin)).text();
    expect(history).toContain('第 1 版');
    expect(history).toContain('第 2 版');
    expect(history).toContain('更正原因：第三部分数字录入有误');
    expect(history).toContain('审核人：测试人员');
    expect(history).toContain(`href="/reports/A/${PUBLISHED_YEAR}?version=2"`);
    // Version 1 was imported; version 2 is the one public now.
    expect(history).toMatch(/第 2 版<\/strong><\/a> <span class="tag tag-published">当前公开/);
    expect(history).toContain('导入');
  });
});
