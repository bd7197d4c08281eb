// Corrections (issue 5, item 6): an administrator reopens a published report with a reason; the
// published version stays current and public until the corrected revision is approved; then the
// public version history lists both, the second with the reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './report-helpers';
import { auditsOf, call, fillAndSubmit, mailTo, one, openCycle, postForm, reportRow, reviewMails, setUpTree, snapshot, versionsOf, type Sessions } from './review-helpers';

let s: Sessions;

beforeAll(async () => {
  s = await setUpTree();
});

const reopen = (unit: string, year: number, body: unknown, headers: Record<string, string> = ADMIN_TOKEN) =>
  call(`/api/v1/admin/reports/${unit}/${year}/reopen`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function publish(unit: string, year: number, cells = {}) {
  await fillAndSubmit(s.clerk, unit, year, cells);
  expect((await postForm(mailTo(await reviewMails(unit, year), 'li@dh.example.cn').path, { decision: 'approve', confirm: 'publish' })).status).toBe(200);
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; details: { field: string; message: string }[] } }).error;

describe('POST /api/v1/admin/reports/{unit}/{year}/reopen', () => {
  it('refuses bad input and wrong states by name, and changes nothing', async () => {
    await openCycle(2061);
    await fillAndSubmit(s.clerk, 'JT', 2061);
    const before = await snapshot('JT', 2061);

    const noReason = await reopen('JT', 2061, { reason: '  ' });
    expect(noReason.status).toBe(422);
    expect((await errorOf(noReason)).details[0]).toMatchObject({ field: 'reason' });
    expect((await reopen('JT', 2061, {})).status).toBe(422);
    expect((await reopen('JT', 2061, '[1]')).status).toBe(422);
    expect((await reopen('JT', 2061, '{oops')).status).toBe(400);
    expect((await reopen('JT', 2061, { reason: 'x'.repeat(501) })).status).toBe(422);
    const submitted = await reopen('JT', 2061, { reason: '数字有误' });
    expect(submitted.status).toBe(409);
    expect(await errorOf(submitted)).toMatchObject({ code: 'wrong_status', message: '报告当前状态为“已提交，等待审核”，不能重新打开。' });
    const en = await reopen('JT', 2061, { reason: '数字有误' }, { ...ADMIN_TOKEN, 'Accept-Language': 'en' });
    expect((await errorOf(en)).message).toBe('The report is submitted, awaiting review; it cannot be reopened.');
    expect((await reopen('JT', 1990, { reason: '数字有误' })).status).toBe(404);
    expect((await reopen('NOPE', 2061, { reason: '数字有误' })).status).toBe(404);
    // Administrators only.
    expect((await reopen('JT', 2061, { reason: '数字有误' }, { Cookie: s.supervisor })).status).toBe(403);
    expect((await reopen('JT', 2061, { reason: '数字有误' }, {})).status).toBe(401);
    expect(await snapshot('JT', 2061)).toEqual(before);
  });

  it('reopen → correction → approve: two versions, the first no longer current, the reason recorded and public', async () => {
    await openCycle(2062);
    await publish('JT', 2062, { 'applications.new.natural': 5, 'applications.disclosed.natural': 5 });
    const [first] = await versionsOf('JT', 2062);

    const res = await reopen('JT', 2062, { reason: '第三项申请数量录入错误' }, { Cookie: s.admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ unit: 'JT', year: 2062, status: 'draft', published_version: 1, reason: '第三项申请数量录入错误' });
    expect(await reportRow('JT', 2062)).toMatchObject({ status: 'draft', published_version: 1 });
    expect((await auditsOf('JT', 2062, 'report.reopen'))[0]).toMatchObject({ actor: 'chen@gov.example.cn', from_status: 'published', to_status: 'draft', comment: '第三项申请数量录入错误' });
    const news = await one<{ to_address: string; text_body: string }>(`select o.* from outbox o join reports r on r.id = o.report_id where r.year = 2062 and o.kind = 'report-reopened'`);
    expect(news!.to_address).toBe('wang@jt.example.cn');
    expect(news!.text_body).toContain('第三项申请数量录入错误');
    // Reopening twice: it is a draft now.
    expect((await reopen('JT', 2062, { reason: '再次' })).status).toBe(409);

    // Until the correction is approved, version 1 stays current and public.
    expect(await versionsOf('JT', 2062)).toEqual([first]);
    expect(await (await call('/api/v1/reports/JT/2062')).json()).toMatchObject({ version: 1, cells: { 'applications.new.natural': 5 } });

    // The clerk corrects and submits; the mail compares with the published version.
    await fillAndSubmit(s.clerk, 'JT', 2062, { 'applications.new.natural': 6, 'applications.disclosed.natural': 6 });
    const mail = mailTo(await reviewMails('JT', 2062), 'zhou@dh.example.cn');
    expect(mail.text).toMatch(/与已发布的第 1 版（.*发布）相比的变化：/);
    expect(mail.text).toContain('· 第三项 一、本年新收政府信息公开申请数量·自然人：5 → 6');
    expect(await (await call('/api/v1/reports/JT/2062')).json()).toMatchObject({ version: 1 });
    expect((await postForm(mail.path, { decision: 'approve', confirm: 'publish' })).status).toBe(200);

    const versions = await versionsOf('JT', 2062);
    expect(versions.map((v) => [v.version, v.is_current, v.reason])).toEqual([
      [1, 0, null],
      [2, 1, '第三项申请数量录入错误'],
    ]);
    expect(versions[1]!.revision_id).not.toBe(versions[0]!.revision_id);
    expect(await reportRow('JT', 2062)).toMatchObject({ status: 'published', published_version: 2 });
    // Each version keeps its own cells.
    const cell = (version: number) =>
      one<{ value: number }>(`select value from published_cells where version_id = ? and cell = 'applications.new.natural'`, versions[version - 1]!.id);
    expect(await cell(1)).toEqual({ value: 5 });
    expect(await cell(2)).toEqual({ value: 6 });

    // Public: the latest version, and the history with the reason.
    const pub = (await (await call('/api/v1/reports/JT/2062')).json()) as { version: number; cells: Record<string, number>; versions: { version: number; reason: string | null }[] };
    expect(pub).toMatchObject({ version: 2, cells: { 'applications.new.natural': 6 } });
    expect(pub.versions.map((v) => [v.version, v.reason]).sort()).toEqual([
      [1, null],
      [2, '第三项申请数量录入错误'],
    ]);
    expect(await (await call('/api/v1/reports/JT/2062?version=1')).json()).toMatchObject({ version: 1, cells: { 'applications.new.natural': 5 } });
  });
});
