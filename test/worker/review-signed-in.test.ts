// Reviewing signed in (issue 5, item 5): /app/review lists what waits for the supervisor, oldest
// first; /app/review/{unit}/{year} shows the same page as the emailed link and decides through
// the same conditional batch, authorised by the session instead of a link. And the audit trail on
// the clerk's read-only page.
import { beforeAll, describe, expect, it } from 'vitest';
import { all, auditsOf, call, fillAndSubmit, mailTo, one, openCycle, postForm, reportRow, reviewMails, setUpTree, snapshot, versionsOf, type Sessions } from './review-helpers';

let s: Sessions;

beforeAll(async () => {
  s = await setUpTree();
});

/** The revision id and content hash the review page pins its forms to. */
async function pinned(cookie: string, unit: string, year: number) {
  const html = await (await call(`/app/review/${unit}/${year}`, { cookie })).text();
  return {
    revision: html.match(/name="revision" value="(\d+)"/)![1]!,
    hash: html.match(/name="hash" value="([0-9a-f]{64})"/)![1]!,
  };
}

describe('/app/review', () => {
  it('lists the reports waiting for the supervisor, oldest submission first, and only those', async () => {
    await openCycle(2051);
    await openCycle(2052);
    await fillAndSubmit(s.clerk, 'BQ', 2052);
    await fillAndSubmit(s.clerk, 'JT', 2051);
    await fillAndSubmit(s.clerk, 'JT', 2052);
    // Make the order unambiguous: BQ 2052 first, then JT 2052, then JT 2051.
    await one(`update reports set submitted_at = submitted_at - 3000 where year = 2052 and unit_id = (select id from units where code = 'BQ')`);
    await one(`update reports set submitted_at = submitted_at - 2000 where year = 2052 and unit_id = (select id from units where code = 'JT')`);

    const res = await call('/app/review', { cookie: s.supervisor });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    const order = [...html.matchAll(/href="\/app\/review\/([A-Z]+)\/(\d{4})"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(order).toEqual(['BQ 2052', 'JT 2052', 'JT 2051']);
    expect(html).toContain('王芳');

    // Administrators see everything waiting; the outsider's tree has nothing; clerks may not.
    expect(await (await call('/app/review', { cookie: s.admin })).text()).toContain('/app/review/BQ/2052');
    expect(await (await call('/app/review', { cookie: s.outsider })).text()).toContain('目前没有等待您审核的报告');
    expect((await call('/app/review', { cookie: s.clerk })).status).toBe(403);
    // Not signed in: to the sign-in page.
    const anonymous = await call('/app/review');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toBe('/signin?next=%2Fapp%2Freview');

    // The supervisor's home page leads there.
    expect(await (await call('/app', { cookie: s.supervisor })).text()).toContain('href="/app/review"');
  });

  it('a supervisor of another tree gets 403 on the report page, and cannot decide', async () => {
    await openCycle(2053);
    await fillAndSubmit(s.clerk, 'JT', 2053);
    const before = await snapshot('JT', 2053);
    expect((await call('/app/review/JT/2053', { cookie: s.outsider })).status).toBe(403);
    expect((await postForm('/app/review/JT/2053', { decision: 'approve', confirm: 'publish' }, { cookie: s.outsider })).status).toBe(403);
    expect((await call('/app/review/JT/2053', { cookie: s.clerk })).status).toBe(403);
    expect(await snapshot('JT', 2053)).toEqual(before);
    expect((await call('/app/review/NOPE/2053', { cookie: s.supervisor })).status).toBe(404);
    expect((await call('/app/review/JT/1999', { cookie: s.supervisor })).status).toBe(404);
  });

  it('approves signed in: the same page, the same batch, audited with the supervisor’s email; the links die', async () => {
    await openCycle(2054);
    await fillAndSubmit(s.clerk, 'JT', 2054, { 'applications.new.natural': 4, 'applications.disclosed.natural': 4 });
    const page = await call('/app/review/JT/2054', { cookie: s.secondSupervisor });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of ['金塘镇2054年政府信息公开工作年度报告', '规则检查', '首次提交', '审核通过并发布', '退回修改', 'action="/app/review/JT/2054"', '<table class="official">']) {
      expect(html).toContain(text);
    }
    const pin = await pinned(s.secondSupervisor, 'JT', 2054);

    // Without a comment a return is refused beside the field.
    const refused = await postForm('/app/review/JT/2054', { ...pin, decision: 'return', comment: '' }, { cookie: s.secondSupervisor });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('退回时请填写修改意见。');

    // 审核通过并发布 leads to the confirmation page, pinned to the same submission; nothing is published yet.
    const asked = await postForm('/app/review/JT/2054', { ...pin, decision: 'approve' }, { cookie: s.secondSupervisor });
    expect(asked.status).toBe(200);
    const confirmation = await asked.text();
    expect(confirmation).toContain('<h1>确认发布</h1>');
    expect(confirmation).toContain(`name="hash" value="${pin.hash}"`);
    expect(await reportRow('JT', 2054)).toMatchObject({ status: 'submitted', published_version: 0 });

    const res = await postForm('/app/review/JT/2054', { ...pin, decision: 'approve', confirm: 'publish' }, { cookie: s.secondSupervisor });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('已审核通过并发布');
    expect(await reportRow('JT', 2054)).toMatchObject({ status: 'published', published_version: 1 });
    expect(await versionsOf('JT', 2054)).toHaveLength(1);
    const [event] = await auditsOf('JT', 2054, 'report.approve');
    expect(event).toMatchObject({ actor: 'zhou@dh.example.cn' });
    expect(JSON.parse(event!.detail)).toMatchObject({ via: 'signed-in', version: 1 });

    // The emailed links are dead now, and say who decided.
    const link = await call(mailTo(await reviewMails('JT', 2054), 'li@dh.example.cn').path);
    expect(link.status).toBe(410);
    expect(await link.text()).toMatch(/该报告已由 周敏 于 .* 审核通过/);
    const open = await all('select * from review_links where report_id = ? and used_at is null and invalidated_at is null', (await reportRow('JT', 2054))!.id);
    expect(open).toEqual([]);

    // Posting again, or opening the page now, shows the decision; nothing changes.
    const before = await snapshot('JT', 2054);
    const again = await postForm('/app/review/JT/2054', { ...pin, decision: 'return', comment: '再看看' }, { cookie: s.supervisor });
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/该报告已由 周敏 于 .* 审核通过/);
    const view = await call('/app/review/JT/2054', { cookie: s.supervisor });
    expect(view.status).toBe(200);
    expect(await view.text()).toContain('href="/reports/JT/2054"');
    expect(await snapshot('JT', 2054)).toEqual(before);
  });

  it('a decision pinned to an older submission is not applied to a newer one', async () => {
    await openCycle(2055);
    await fillAndSubmit(s.clerk, 'JT', 2055);
    const pin = await pinned(s.supervisor, 'JT', 2055);
    expect((await postForm('/app/review/JT/2055', { ...pin, decision: 'return', comment: '请修改。' }, { cookie: s.supervisor })).status).toBe(200);
    await fillAndSubmit(s.clerk, 'JT', 2055, { 'applications.new.natural': 1, 'applications.disclosed.natural': 1 });
    const before = await snapshot('JT', 2055);
    const stale = await postForm('/app/review/JT/2055', { ...pin, decision: 'approve', confirm: 'publish' }, { cookie: s.supervisor });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('您审核期间报告已重新提交，请审核现在显示的内容。');
    expect(await snapshot('JT', 2055)).toEqual(before);
    // The page now shows what changed since the returned submission.
    const html = await (await call('/app/review/JT/2055', { cookie: s.supervisor })).text();
    expect(html).toMatch(/与上次提交的第 \d+ 稿（.*提交）相比/);
    expect(html).toContain('第三项 一、本年新收政府信息公开申请数量·自然人');
  });
});

describe('the audit trail', () => {
  it('is on the clerk’s read-only page: every transition with who, when, states, revision and comment', async () => {
    await openCycle(2056);
    await fillAndSubmit(s.clerk, 'JT', 2056);
    const pin = await pinned(s.supervisor, 'JT', 2056);
    await postForm('/app/review/JT/2056', { ...pin, decision: 'return', comment: '请补充第五项。' }, { cookie: s.supervisor });
    await fillAndSubmit(s.clerk, 'JT', 2056, { 'applications.new.natural': 2, 'applications.disclosed.natural': 2 });
    const again = await pinned(s.supervisor, 'JT', 2056);
    await postForm('/app/review/JT/2056', { ...again, decision: 'approve', confirm: 'publish' }, { cookie: s.supervisor });

    const html = await (await call('/app/reports/JT/2056', { cookie: s.clerk })).text();
    const trail = html.slice(html.indexOf('处理记录'));
    const steps = [...trail.matchAll(/<strong>([^<]+)<\/strong> ([^<（]+)/g)].map((m) => `${m[1]} ${m[2]!.trim()}`);
    expect(steps).toEqual(['admin-token 创建', '王芳 提交审核', '李强 退回修改', '王芳 提交审核', '李强 审核通过并发布']);
    expect(trail).toContain('意见：请补充第五项。');
    expect(trail).toContain('已提交，等待审核 → 已发布');
    expect(trail).toMatch(/第 \d+ 稿/);
    expect(trail).toContain('（第 1 版）');
    // Saves are not transitions.
    expect((await auditsOf('JT', 2056, 'report.save')).length).toBeGreaterThan(0);
    expect(trail).not.toContain('report.save');
  });
});
