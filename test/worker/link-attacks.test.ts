// Attacks on the links the app mails, through the Worker and a real D1 (issue 12, the probe's
// 271 token flips): an approval link with any one character changed, used twice, outlived by a
// resubmission, opened by a mail scanner's prefetch, or kept by a supervisor whose role changed;
// a sign-in link changed, used twice or expired. Each must change nothing — no decision, no
// version, no audit event, no session — and answer a page that says the link does not work.
import { beforeAll, describe, expect, it } from 'vitest';
import { adminPut } from './report-helpers';
import {
  call,
  fillAndSubmit,
  flipAt,
  mailTo,
  one,
  openCycle,
  postForm,
  reportRow,
  reviewMails,
  samplePositions,
  setUpTree,
  signInState,
  snapshot,
  versionsOf,
  type Sessions,
  submittedWithMailTo,
} from './review-helpers';

let s: Sessions;
const LI = 'li@dh.example.cn';
const ZHOU = 'zhou@dh.example.cn';

const approve = (path: string) => postForm(path, { decision: 'approve', confirm: 'publish', comment: '' });
const giveBack = (path: string, comment: string) => postForm(path, { decision: 'return', comment });

/** What a dead link answers: a page (not JSON, not a redirect) that says so. */
async function expectDeadLinkPage(res: Response, statuses: number[], label: string) {
  expect(statuses, `${label}: ${res.status}`).toContain(res.status);
  expect(res.headers.get('Content-Type'), label).toMatch(/^text\/html/);
  // Says the link does not work, or (a decision posted through it) that nothing was changed.
  expect(await res.text(), label).toMatch(/链接|没有改变任何内容/);
}

beforeAll(async () => {
  s = await setUpTree();
});

describe('approval links', () => {
  it('any one character changed (a sample of every position): 404 on GET and POST, nothing changes', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2051, LI);
    const before = await snapshot('JT', 2051);
    const positions = samplePositions(mail.token.length, 7);
    expect(positions.length).toBeGreaterThan(10);
    for (const position of positions) {
      const path = `/review/${flipAt(mail.token, position)}`;
      await expectDeadLinkPage(await call(path), [404], `GET flipped at ${position}`);
      await expectDeadLinkPage(await approve(path), [404], `POST flipped at ${position}`);
    }
    expect(await snapshot('JT', 2051)).toEqual(before);
    // The real link still works afterwards: the flips did not spend or block it.
    expect((await approve(mail.path)).status).toBe(200);
  });

  it('replayed after use (approve, then approve and return again): 410, nothing more changes', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2052, LI);
    expect((await approve(mail.path)).status).toBe(200);
    const after = await snapshot('JT', 2052);
    for (const replay of [() => approve(mail.path), () => giveBack(mail.path, '再退回一次'), () => call(mail.path)]) {
      await expectDeadLinkPage(await replay(), [410], 'replay');
    }
    // The other supervisor's link died with the decision.
    await expectDeadLinkPage(await approve(mailTo(await reviewMails('JT', 2052), ZHOU).path), [410], 'the other link');
    expect(await snapshot('JT', 2052)).toEqual(after);
    expect(await versionsOf('JT', 2052)).toHaveLength(1);
  });

  it('after the report was returned and resubmitted (a new revision): the old links are dead', async () => {
    await openCycle(2053);
    await fillAndSubmit(s.clerk, 'JT', 2053, { 'applications.new.natural': 1, 'applications.disclosed.natural': 1 });
    const first = await reviewMails('JT', 2053);
    expect((await giveBack(mailTo(first, ZHOU).path, '数字不对。')).status).toBe(200);
    await fillAndSubmit(s.clerk, 'JT', 2053, { 'applications.new.natural': 2, 'applications.disclosed.natural': 2 });
    const before = await snapshot('JT', 2053);
    for (const mail of first) {
      await expectDeadLinkPage(await call(mail.path), [410], `GET ${mail.to}`);
      await expectDeadLinkPage(await approve(mail.path), [410], `approve ${mail.to}`);
      await expectDeadLinkPage(await giveBack(mail.path, '旧链接'), [410], `return ${mail.to}`);
    }
    expect(await snapshot('JT', 2053)).toEqual(before);
    expect((await reportRow('JT', 2053))!.status).toBe('submitted');
  });

  it('opened by a prefetcher (GET and HEAD, twice each): nothing changes and the link still works', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2054, LI);
    const before = await snapshot('JT', 2054);
    for (const method of ['GET', 'HEAD', 'GET', 'HEAD']) {
      const res = await call(mail.path, { method });
      expect(res.status, method).toBe(200);
      await res.arrayBuffer();
    }
    expect(await snapshot('JT', 2054)).toEqual(before);
    expect((await approve(mail.path)).status).toBe(200);
  });

  // Defect 7 of issue 12 ("removal does not stick"): links die with a role change and stay dead.
  it('a supervisor moved away and back: the link mailed before stays dead', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2055, ZHOU);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['XS'] })).status).toBe(200);
    const moved = await snapshot('JT', 2055);
    await expectDeadLinkPage(await approve(mail.path), [410], 'moved away');
    expect(await snapshot('JT', 2055)).toEqual(moved);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['ZS-DH'] })).status).toBe(200);
    const back = await snapshot('JT', 2055);
    await expectDeadLinkPage(await call(mail.path), [410], 'back: GET');
    await expectDeadLinkPage(await approve(mail.path), [410], 'back: approve');
    expect(await snapshot('JT', 2055)).toEqual(back);
    expect((await reportRow('JT', 2055))!.status).toBe('submitted');
  });

  // Defect 7 of issue 12, as above.
  it('a supervisor made a clerk and then a supervisor again: the link mailed before stays dead', async () => {
    const mail = await submittedWithMailTo(s.clerk, 'JT', 2056, ZHOU);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'clerk', units: ['JT'] })).status).toBe(200);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['ZS-DH'] })).status).toBe(200);
    const before = await snapshot('JT', 2056);
    await expectDeadLinkPage(await approve(mail.path), [410], 'role changed and back');
    expect(await snapshot('JT', 2056)).toEqual(before);
  });
});

describe('sign-in links', () => {
  const EMAIL = 'wang@jt.example.cn';

  /** Asks for a link and returns its token, read from the mail the outbox holds. */
  async function freshToken(): Promise<string> {
    await one('delete from rate_limits');
    const res = await call('/auth/link', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: EMAIL }) });
    expect(res.status).toBe(202);
    const mail = await one<{ text_body: string }>("select text_body from outbox where to_address = ? and kind like '%sign%' order by id desc limit 1", EMAIL);
    const url = mail!.text_body.match(/https?:\/\/\S+\/auth\/verify\?\S+/)![0];
    return new URL(url).searchParams.get('token')!;
  }

  const verify = (token: string) => postForm('/auth/verify', { token });

  it('any one character changed: no session, a page saying the link does not work; the real one still works', async () => {
    const token = await freshToken();
    const before = await signInState();
    for (const position of samplePositions(token.length, 3)) {
      const flipped = flipAt(token, position);
      await expectDeadLinkPage(await call(`/auth/verify?token=${flipped}`), [404], `GET flipped at ${position}`);
      const res = await verify(flipped);
      expect(res.headers.get('Set-Cookie')).toBeNull();
      await expectDeadLinkPage(res, [404], `POST flipped at ${position}`);
    }
    expect(await signInState()).toEqual(before);
    expect((await verify(token)).status).toBe(303);
  });

  it('replayed after use: 410, no second session', async () => {
    const token = await freshToken();
    expect((await verify(token)).status).toBe(303);
    const before = await signInState();
    for (let i = 0; i < 2; i++) {
      const res = await verify(token);
      expect(res.headers.get('Set-Cookie')).toBeNull();
      await expectDeadLinkPage(res, [410], 'replay');
      await expectDeadLinkPage(await call(`/auth/verify?token=${token}`), [410], 'GET after use');
    }
    expect(await signInState()).toEqual(before);
  });

  it('expired: 410, no session, and GET or HEAD by a prefetcher spends nothing', async () => {
    const token = await freshToken();
    for (const method of ['GET', 'HEAD']) expect((await call(`/auth/verify?token=${token}`, { method })).status).toBe(200);
    await one('update login_tokens set expires_at = ? where used_at is null', Date.now() - 1);
    const before = await signInState();
    const res = await verify(token);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    await expectDeadLinkPage(res, [410], 'expired');
    await expectDeadLinkPage(await call(`/auth/verify?token=${token}`), [410], 'GET expired');
    expect(await signInState()).toEqual(before);
  });
});
