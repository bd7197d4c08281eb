// Removal sticks: a change that takes power away from a person (a role change, a unit taken
// away, deactivation) ends their sessions and kills their open approval links in the same batch,
// and putting things back later does not revive them. Through the admin API and the real Worker.
import { beforeAll, describe, expect, it } from 'vitest';
import { adminPut, sessionCookie } from './report-helpers';
import { call, fillAndSubmit, mailTo, openCycle, postForm, reportRow, reviewMails, setUpTree, snapshot } from './review-helpers';

const LI = 'li@dh.example.cn';
const ZHOU = 'zhou@dh.example.cn';
const WANG = 'wang@jt.example.cn';


const approve = (path: string) => postForm(path, { decision: 'approve', confirm: 'publish', comment: '' });
/** Whether the cookie still opens the signed-in home page. */
const signedIn = async (cookie: string) => (await call('/app', { cookie })).status === 200;

beforeAll(async () => {
  await setUpTree();
});

/** JT's report of the year, submitted (by a clerk signed in just now), and its review mails. */
async function submittedWithLinks(year: number) {
  await openCycle(year);
  await fillAndSubmit(await sessionCookie(WANG), 'JT', year);
  return reviewMails('JT', year);
}

describe('a supervisor moved away and re-added', () => {
  it('finds their old approval link dead for good, and their session ended', async () => {
    const mail = mailTo(await submittedWithLinks(2061), LI);
    const cookie = await sessionCookie(LI);
    expect((await adminPut(`/people/${LI}`, { name: '李强', role: 'supervisor', units: ['XS'] })).status).toBe(200);
    expect((await adminPut(`/people/${LI}`, { name: '李强', role: 'supervisor', units: ['ZS-DH'] })).status).toBe(200);

    const before = await snapshot('JT', 2061);
    const page = await call(mail.path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('此审核链接已失效');
    expect((await approve(mail.path)).status).toBe(410);
    expect(await snapshot('JT', 2061)).toEqual(before);
    expect(await reportRow('JT', 2061)).toMatchObject({ status: 'submitted' });
    expect(await signedIn(cookie)).toBe(false);
    // The other supervisor's link was not touched.
    expect((await call(mailTo(await reviewMails('JT', 2061), ZHOU).path)).status).toBe(200);
  });

  it('a unit moved to another parent and back: the links its report had are dead', async () => {
    const mail = mailTo(await submittedWithLinks(2062), ZHOU);
    expect((await adminPut('/units/JT', { name: '金塘镇', parent: 'XS' })).status).toBe(200);
    expect((await adminPut('/units/JT', { name: '金塘镇', parent: 'ZS-DH' })).status).toBe(200);
    expect((await call(mail.path)).status).toBe(410);
    expect((await approve(mail.path)).status).toBe(410);
    expect(await reportRow('JT', 2062)).toMatchObject({ status: 'submitted' });
  });
});

describe('a deactivated then reactivated person', () => {
  it('finds their old session dead: they must sign in again', async () => {
    const cookie = await sessionCookie(WANG);
    expect(await signedIn(cookie)).toBe(true);
    expect((await adminPut(`/people/${WANG}`, { name: '王芳', role: 'clerk', units: ['JT', 'BQ'], active: false })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    expect((await adminPut(`/people/${WANG}`, { name: '王芳', role: 'clerk', units: ['JT', 'BQ'], active: true })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    // A new sign-in works.
    expect(await signedIn(await sessionCookie(WANG))).toBe(true);
  });

  it('a supervisor deactivated then reactivated: their approval link stays dead', async () => {
    const mail = mailTo(await submittedWithLinks(2063), ZHOU);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['ZS-DH'], active: false })).status).toBe(200);
    expect((await adminPut(`/people/${ZHOU}`, { name: '周敏', role: 'supervisor', units: ['ZS-DH'], active: true })).status).toBe(200);
    expect((await call(mail.path)).status).toBe(410);
    expect((await approve(mail.path)).status).toBe(410);
  });
});

describe('a role change', () => {
  it('ends the session and kills the approval links; changed back, nothing revives', async () => {
    const mail = mailTo(await submittedWithLinks(2064), LI);
    const cookie = await sessionCookie(LI);
    expect((await adminPut(`/people/${LI}`, { name: '李强', role: 'clerk', units: ['ZS-DH'] })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    expect((await adminPut(`/people/${LI}`, { name: '李强', role: 'supervisor', units: ['ZS-DH'] })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    expect((await call(mail.path)).status).toBe(410);
    expect((await approve(mail.path)).status).toBe(410);
  });

  it('a change that takes nothing away (a new name, another unit) leaves sessions and links alone', async () => {
    const mail = mailTo(await submittedWithLinks(2065), LI);
    const cookie = await sessionCookie(LI);
    expect((await adminPut(`/people/${LI}`, { name: '李强强', role: 'supervisor', units: ['ZS-DH', 'XS'] })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(true);
    expect((await call(mail.path)).status).toBe(200);
    expect((await approve(mail.path)).status).toBe(200);
  });
});
