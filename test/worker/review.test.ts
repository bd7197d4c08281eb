// Review from an emailed link, through the Worker and a real D1 (issue 5, workflow.md "Approval
// links"): submitting mails each supervisor of the parent unit a signed link; opening it (GET,
// HEAD — a mail scanner) changes nothing; approving publishes exactly the reviewed revision;
// returning needs a comment; used, expired, tampered, invalidated and superseded links change
// nothing and say what happened; two supervisors at once make exactly one decision.
import { beforeAll, describe, expect, it } from 'vitest';
import { cellKeys } from '../../src/core';
import { signLink } from '../../src/auth/signed-link';
import { adminPut } from './report-helpers';
import {
  all,
  auditsOf,
  call,
  fillAndSubmit,
  gov2021,
  mailTo,
  one,
  openCycle,
  personId,
  postForm,
  reportRow,
  reviewMails,
  setUpTree,
  snapshot,
  versionsOf,
  type Sessions,
  submittedWithMailTo,
} from './review-helpers';

let s: Sessions;
const LI = 'li@dh.example.cn';
const ZHOU = 'zhou@dh.example.cn';

beforeAll(async () => {
  s = await setUpTree();
});

const decodePayload = (token: string) => JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number; [field: string]: unknown };
const approve = (path: string, headers?: Record<string, string>) => postForm(path, { decision: 'approve', confirm: 'publish', comment: '' }, headers ? { headers } : {});
const giveBack = (path: string, comment: string, headers?: Record<string, string>) => postForm(path, { decision: 'return', comment }, headers ? { headers } : {});

describe('submitting', () => {
  it('stores one link per supervisor (only the nonce hash) and mails each the summary and the link, in the submit batch', async () => {
    await openCycle(2031, '2099-01-31T23:59:59+08:00');
    const revision = await fillAndSubmit(s.clerk, 'JT', 2031, { 'applications.new.natural': 3, 'applications.disclosed.natural': 3 });
    const report = (await reportRow('JT', 2031))!;
    expect(report.status).toBe('submitted');

    const links = await all<{ nonce_hash: string; person_id: number; revision_id: number; content_hash: string; expires_at: number; created_at: number; used_at: null; invalidated_at: null }>(
      'select * from review_links where report_id = ? order by person_id',
      report.id,
    );
    expect(links.map((l) => l.person_id).sort()).toEqual([await personId(LI), await personId(ZHOU)].sort());
    const hash = (await one<{ content_hash: string }>('select content_hash from report_revisions where id = ?', report.submitted_revision_id))!.content_hash;
    for (const link of links) {
      expect(link).toMatchObject({ revision_id: report.submitted_revision_id, content_hash: hash, used_at: null, invalidated_at: null });
      expect(link.expires_at - link.created_at).toBe(14 * 86_400_000);
      expect(link.created_at).toBe(report.submitted_at);
    }

    const mails = await reviewMails('JT', 2031);
    expect(mails.map((m) => m.to)).toEqual([LI, ZHOU]);
    const mail = mailTo(mails, LI);
    expect(mail.subject).toBe('请审核：金塘镇2031年政府信息公开工作年度报告');
    for (const text of ['李强，您好', '单位：金塘镇（JT）', '年度：2031', '提交：', '（王芳）', '按时提交', '本年新收政府信息公开申请：3', '规则检查：没有错误。', '首次提交', '14 天内']) {
      expect(mail.text).toContain(text);
    }
    expect(mail.html).toContain(`href="${mail.url}"`);
    // The token is signed, names this report, the revision's hash, the supervisor; the database
    // keeps only the hash of its nonce, never the token.
    const payload = decodePayload(mail.token);
    expect(payload).toMatchObject({ report: report.id, hash, person: await personId(LI) });
    expect(JSON.stringify(links)).not.toContain(payload.nonce as string);
    expect(mailTo(mails, ZHOU).token).not.toBe(mail.token);
    // The audit event of the submission names the revision.
    expect((await auditsOf('JT', 2031, 'report.submit')).at(-1)).toMatchObject({ to_status: 'submitted', revision_id: report.submitted_revision_id });
    expect(revision).toBeGreaterThan(0);
  });
});

describe('opening the link (GET, HEAD)', () => {
  it('shows the whole report, rules, changes and two forms; GET twice and HEAD change nothing', async () => {
    await openCycle(2032);
    await fillAndSubmit(s.clerk, 'JT', 2032, {}, { overview: '2032年，金塘镇认真贯彻条例。' });
    const mail = mailTo(await reviewMails('JT', 2032), LI);
    const before = await snapshot('JT', 2032);

    const first = await call(mail.path);
    expect(first.status).toBe(200);
    expect(first.headers.get('Cache-Control')).toBe('no-store');
    expect(first.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await first.text();
    for (const text of ['金塘镇2032年政府信息公开工作年度报告', '李强，请审核这份报告', '规则检查', '没有错误。', '首次提交', '按时', '2032年，金塘镇认真贯彻条例。', '二、主动公开政府信息情况', '处理记录', '提交审核']) {
      expect(html).toContain(text);
    }
    expect(html.match(/<table class="official">/g)!.length).toBeGreaterThanOrEqual(3);
    expect(html.match(/<form method="post" action="\/review\/[^"]+"/g)).toHaveLength(2);
    expect(html).toContain('name="decision" value="approve"');
    expect(html).toContain('name="decision" value="return"');
    expect(html).toContain('<textarea id="comment" name="comment"');
    expect(html).not.toContain('<script'); // nothing submits itself

    expect((await call(mail.path)).status).toBe(200);
    const head = await call(mail.path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Cache-Control')).toBe('no-store');
    expect(await snapshot('JT', 2032)).toEqual(before);

    // English on request.
    expect(await (await call(mail.path, { headers: { 'Accept-Language': 'en' } })).text()).toContain('Approve and publish');
  });
});

describe('approving', () => {
  it('publishes exactly the reviewed revision as version 1: version row, cells, status, audit, public; other links die', async () => {
    await openCycle(2033, '2099-01-31T23:59:59+08:00');
    await fillAndSubmit(s.clerk, 'JT', 2033, { 'applications.new.natural': 7, 'applications.disclosed.natural': 7 });
    const mails = await reviewMails('JT', 2033);
    const submitted = (await reportRow('JT', 2033))!;

    const res = await approve(mailTo(mails, LI).path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('已审核通过并发布');
    expect(page).toContain('href="/reports/JT/2033"');

    const report = (await reportRow('JT', 2033))!;
    expect(report).toMatchObject({ status: 'published', published_version: 1, submitted_revision_id: submitted.submitted_revision_id });
    const [version, ...more] = await versionsOf('JT', 2033);
    expect(more).toEqual([]);
    expect(version).toMatchObject({
      version: 1,
      revision_id: submitted.submitted_revision_id,
      submitted_at: submitted.submitted_at,
      on_time: 1,
      reason: null,
      is_current: 1,
      imported: 0,
      approved_by: await personId(LI),
    });
    expect(version!.published_at).toBeGreaterThanOrEqual(submitted.submitted_at!);
    const cells = await all<{ cell: string; value: number; year: number }>('select cell, value, year from published_cells where version_id = ?', version!.id);
    expect(cells).toHaveLength(cellKeys(gov2021).length);
    expect(cells.find((c) => c.cell === 'applications.new.natural')).toMatchObject({ value: 7, year: 2033 });

    const [event] = await auditsOf('JT', 2033, 'report.approve');
    expect(event).toMatchObject({ actor: LI, actor_id: await personId(LI), from_status: 'submitted', to_status: 'published', revision_id: submitted.submitted_revision_id });
    expect(JSON.parse(event!.detail)).toMatchObject({ via: 'review-link', version: 1 });

    const links = await all<{ person_id: number; used_at: number | null; decision: string | null; invalidated_at: number | null }>(
      'select person_id, used_at, decision, invalidated_at from review_links where report_id = ?',
      report.id,
    );
    expect(links.find((l) => l.decision === 'approve')).toMatchObject({ invalidated_at: null });
    expect(links.filter((l) => l.used_at === null).every((l) => l.invalidated_at !== null)).toBe(true);

    // The clerks hear of it.
    expect(await one('select kind, to_address from outbox where report_id = ? and kind = ?', report.id, 'review-approved')).toMatchObject({ to_address: 'wang@jt.example.cn' });

    // Public: the published report and its cells.
    const pub = await call('/api/v1/reports/JT/2033');
    expect(pub.status).toBe(200);
    expect(await pub.json()).toMatchObject({ unit: 'JT', year: 2033, version: 1, on_time: true, cells: { 'applications.new.natural': 7 } });

    // The other supervisor's link now says who decided, and changes nothing.
    const other = await call(mailTo(mails, ZHOU).path);
    expect(other.status).toBe(410);
    expect(await other.text()).toMatch(/该报告已由 李强 于 \d{4}-\d\d-\d\d \d\d:\d\d 审核通过/);
  });

  it('records on_time 0 when the report was submitted after the deadline', async () => {
    await openCycle(2024, '2025-01-31T23:59:59+08:00');
    await fillAndSubmit(s.clerk, 'JT', 2024);
    const mail = mailTo(await reviewMails('JT', 2024), LI);
    expect(mail.text).toMatch(/逾期 \d+ 天提交/);
    expect((await approve(mail.path)).status).toBe(200);
    expect((await versionsOf('JT', 2024))[0]).toMatchObject({ on_time: 0 });
  });
});

describe('confirming before publishing (issue 14)', () => {
  it('审核通过并发布 alone only asks: the confirmation page says what becomes public; nothing changes and the link still works', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2043, LI);
    const before = await snapshot('JT', 2043);

    const asked = await postForm(mail.path, { decision: 'approve', comment: '' });
    expect(asked.status).toBe(200);
    expect(asked.headers.get('Cache-Control')).toBe('no-store');
    const html = await asked.text();
    for (const text of ['<h1>确认发布</h1>', '金塘镇2043年政府信息公开工作年度报告将按审核页面显示的内容公开发布', '发布后立即公开：/reports/JT/2043', `action="${mail.path}"`, 'name="confirm" value="publish"']) {
      expect(html).toContain(text);
    }
    expect(await snapshot('JT', 2043)).toEqual(before);
    // A confirmation value other than ours is no confirmation either.
    expect((await postForm(mail.path, { decision: 'approve', confirm: 'yes' })).status).toBe(200);
    expect(await snapshot('JT', 2043)).toEqual(before);

    const en = await postForm(mail.path, { decision: 'approve' }, { headers: { 'Accept-Language': 'en' } });
    expect(await en.text()).toContain('It becomes public at once at /reports/JT/2043');

    const confirmed = await approve(mail.path);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('已审核通过并发布');
    expect(await reportRow('JT', 2043)).toMatchObject({ status: 'published', published_version: 1 });
  });
});

describe('returning', () => {
  it('needs a comment: 422 with the error beside the field, and nothing changes', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2034, LI);
    const before = await snapshot('JT', 2034);

    const res = await giveBack(mail.path, '   ');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<p class="field-message" id="comment-error">退回时请填写修改意见。</p>');
    // The error summary is at the top of the page, focused as it loads, linking to the comment box.
    const summary = html.indexOf('class="error-summary"');
    expect(summary).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(html.indexOf('class="summary-list"'));
    expect(html.slice(summary, html.indexOf('</div>', summary))).toMatch(/autofocus[^>]*>[\s\S]*<a href="#comment">退回时请填写修改意见。<\/a>/);
    expect(html).toContain('aria-invalid="true"');
    const en = await giveBack(mail.path, '', { 'Accept-Language': 'en' });
    expect(en.status).toBe(422);
    expect(await en.text()).toContain('Say what needs changing when returning a report.');
    const bad = await postForm(mail.path, { decision: 'publish-everything' });
    expect(bad.status).toBe(422);
    expect(await snapshot('JT', 2034)).toEqual(before);
  });

  it('with a comment: status returned, the comment kept, the clerks mailed with a link to the form, audited', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2035, ZHOU);
    const res = await giveBack(mail.path, '第三项结转数有误，请核对。');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('已退回修改');

    expect(await reportRow('JT', 2035)).toMatchObject({ status: 'returned', return_comment: '第三项结转数有误，请核对。', published_version: 0 });
    expect(await versionsOf('JT', 2035)).toEqual([]);
    expect((await auditsOf('JT', 2035, 'report.return'))[0]).toMatchObject({ actor: ZHOU, from_status: 'submitted', to_status: 'returned', comment: '第三项结转数有误，请核对。' });
    const news = await one<{ to_address: string; subject: string; text_body: string }>(
      `select o.* from outbox o join reports r on r.id = o.report_id where r.year = 2035 and o.kind = 'review-returned'`,
    );
    expect(news).toMatchObject({ to_address: 'wang@jt.example.cn', subject: '报告已退回修改：金塘镇2035年政府信息公开工作年度报告' });
    expect(news!.text_body).toContain('第三项结转数有误，请核对。');
    expect(news!.text_body).toContain('https://nianbao.test/app/reports/JT/2035');
    // The clerk's form shows the comment.
    expect(await (await call('/app/reports/JT/2035', { cookie: s.clerk })).text()).toContain('第三项结转数有误，请核对。');
  });
});

describe('links that cannot decide change nothing and say why', () => {
  it('a used link: 410 naming who decided what and when, on GET and POST', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2036, LI);
    expect((await giveBack(mail.path, '请补充说明。')).status).toBe(200);
    const before = await snapshot('JT', 2036);

    const again = await call(mail.path);
    expect(again.status).toBe(410);
    const html = await again.text();
    expect(html).toMatch(/该报告已由 李强 于 \d{4}-\d\d-\d\d \d\d:\d\d 退回/);
    expect(html).toContain('意见：请补充说明。');
    expect(html).toContain('href="/signin?next=%2Fapp%2Freview"');
    const post = await approve(mail.path);
    expect(post.status).toBe(410);
    expect(await post.text()).toContain('您的操作没有改变任何内容');
    expect(await snapshot('JT', 2036)).toEqual(before);
  });

  it('an expired link: 410 saying so and offering sign-in; nothing changes', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2037, LI);
    // Fifteen days later: the signed expiry and the stored one have both passed.
    const payload = decodePayload(mail.token);
    const past = Date.now() - 1000;
    const expired = await signLink('test-link-secret', { ...payload, exp: past });
    const report = (await reportRow('JT', 2037))!;
    await one('update review_links set expires_at = ? where report_id = ?', past, report.id);
    const before = await snapshot('JT', 2037);

    for (const path of [`/review/${expired}`, mail.path]) {
      const res = await call(path);
      expect(res.status).toBe(410);
      const html = await res.text();
      expect(html).toContain('此审核链接已过期');
      expect(html).toContain('该报告仍在等待审核，请登录后审核。');
      expect((await approve(path)).status).toBe(410);
    }
    expect(await snapshot('JT', 2037)).toEqual(before);
    expect((await reportRow('JT', 2037))!.status).toBe('submitted');
  });

  it('a tampered link (signature, payload, wrong secret, another hash): 404, nothing changes', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2038, LI);
    const [body, signature] = mail.token.split('.') as [string, string];
    const payload = decodePayload(mail.token);
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    const otherPerson = btoa(JSON.stringify({ ...payload, person: await personId(ZHOU) })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const tampered = [
      `${body}.${flipped}`,
      `${otherPerson}.${signature}`,
      await signLink('not-our-secret', payload),
      // Signed with our secret (a leaked key) but naming content nobody submitted: no stored link matches.
      await signLink('test-link-secret', { ...payload, hash: '0'.repeat(64) }),
      'garbage',
      `${body}.${signature}.extra`,
    ];
    const before = await snapshot('JT', 2038);
    for (const token of tampered) {
      const res = await call(`/review/${token}`);
      expect(res.status, token).toBe(404);
      expect(await res.text()).toContain('此审核链接无效');
      expect((await approve(`/review/${token}`)).status).toBe(404);
    }
    expect((await call(`/review/${'x'.repeat(5000)}`)).status).toBe(404);
    expect(await snapshot('JT', 2038)).toEqual(before);
  });

  it('a link whose supervisor no longer supervises the parent unit: 410, nothing changes', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2040, ZHOU);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['XS'] })).status).toBe(200);
    try {
      const before = await snapshot('JT', 2040);
      const res = await call(mail.path);
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('周敏 已不再是该单位的审核人。');
      expect((await approve(mail.path)).status).toBe(410);
      expect(await snapshot('JT', 2040)).toEqual(before);
    } finally {
      await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['ZS-DH'] });
    }
  });

  it('resubmission kills the old links: the first submission’s link says it was resubmitted; the new links work', async () => {
    await openCycle(2039);
    await fillAndSubmit(s.clerk, 'JT', 2039, { 'applications.new.natural': 1, 'applications.disclosed.natural': 1 });
    const first = await reviewMails('JT', 2039);
    const firstReport = (await reportRow('JT', 2039))!;
    expect((await giveBack(mailTo(first, ZHOU).path, '数字不对。')).status).toBe(200);
    // Pretend 李强's link had been left open (e.g. an older release): the resubmission's batch kills it.
    await one('update review_links set invalidated_at = null where report_id = ? and used_at is null', firstReport.id);

    await fillAndSubmit(s.clerk, 'JT', 2039, { 'applications.new.natural': 2, 'applications.disclosed.natural': 2 });
    const resubmitted = (await reportRow('JT', 2039))!;
    expect(resubmitted.submitted_revision_id).not.toBe(firstReport.submitted_revision_id);
    const old = await one<{ invalidated_at: number | null }>('select invalidated_at from review_links where report_id = ? and revision_id = ? and used_at is null', firstReport.id, firstReport.submitted_revision_id);
    expect(old!.invalidated_at).toBe(resubmitted.submitted_at);

    const before = await snapshot('JT', 2039);
    const stale = await call(mailTo(first, LI).path);
    expect(stale.status).toBe(410);
    const html = await stale.text();
    expect(html).toMatch(/该报告已由 周敏 于 .* 退回/);
    expect(html).toMatch(/金塘镇 已于 .* 重新提交了报告，新的审核链接已另行发送给审核人。/);
    expect((await approve(mailTo(first, LI).path)).status).toBe(410);
    // Even revived by hand, the old link is bound to the old revision: it cannot approve the new one.
    await one('update review_links set invalidated_at = null where report_id = ? and revision_id = ?', firstReport.id, firstReport.submitted_revision_id);
    expect((await approve(mailTo(first, LI).path)).status).toBe(410);
    await one('update review_links set invalidated_at = ? where report_id = ? and revision_id = ? and used_at is null', resubmitted.submitted_at, firstReport.id, firstReport.submitted_revision_id);
    expect(await snapshot('JT', 2039)).toEqual(before);

    // The new mail compares with what was submitted before, by cell name.
    const second = await reviewMails('JT', 2039);
    expect(mailTo(second, LI).text).toMatch(/与上次提交的第 \d+ 稿（.*提交）相比的变化：/);
    expect(mailTo(second, LI).text).toContain('· 第三项 一、本年新收政府信息公开申请数量·自然人：1 → 2');
    expect((await approve(mailTo(second, LI).path)).status).toBe(200);
    expect((await versionsOf('JT', 2039))[0]).toMatchObject({ revision_id: resubmitted.submitted_revision_id });
  });
});

describe('two supervisors at once', () => {
  it('two approvals at the same moment: exactly one transition, one version; the other is told who decided', async () => {
    await openCycle(2041);
    await fillAndSubmit(s.clerk, 'JT', 2041);
    const mails = await reviewMails('JT', 2041);
    const responses = await Promise.all([approve(mailTo(mails, LI).path), approve(mailTo(mails, ZHOU).path)]);
    // The loser raced the winner's batch (409) or, on a busy machine, arrived after it and found
    // its link already dead (410): either way it is told who decided, and nothing changes.
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 410]).toContain(statuses[1]);
    const loser = responses.find((r) => r.status !== 200)!;
    expect(await loser.text()).toMatch(/该报告已由 (李强|周敏) 于 \d{4}-\d\d-\d\d \d\d:\d\d 审核通过/);

    expect(await versionsOf('JT', 2041)).toHaveLength(1);
    expect(await auditsOf('JT', 2041, 'report.approve')).toHaveLength(1);
    expect(await reportRow('JT', 2041)).toMatchObject({ status: 'published', published_version: 1 });
    const cells = await one<{ n: number }>('select count(*) as n from published_cells where year = 2041');
    expect(cells!.n).toBe(cellKeys(gov2021).length);
    const used = await all('select * from review_links where report_id = ? and used_at is not null', (await reportRow('JT', 2041))!.id);
    expect(used).toHaveLength(1);
  });

  it('an approval and a return at the same moment: one decision', async () => {
    await openCycle(2042);
    await fillAndSubmit(s.clerk, 'JT', 2042);
    const mails = await reviewMails('JT', 2042);
    const responses = await Promise.all([approve(mailTo(mails, LI).path), giveBack(mailTo(mails, ZHOU).path, '请修改。')]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 410]).toContain(statuses[1]);
    const decisions = [...(await auditsOf('JT', 2042, 'report.approve')), ...(await auditsOf('JT', 2042, 'report.return'))];
    expect(decisions).toHaveLength(1);
    const status = (await reportRow('JT', 2042))!.status;
    expect(status).toBe(decisions[0]!.action === 'report.approve' ? 'published' : 'returned');
    expect(await versionsOf('JT', 2042)).toHaveLength(status === 'published' ? 1 : 0);
  });
});
