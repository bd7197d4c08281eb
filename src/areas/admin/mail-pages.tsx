// /app/admin/mail: the mail an administrator answers for. At the top the transport's health (last
// success, last failure and its reason, how many wait and failed), then the messages newest first
// — filtered by recipient and state, 50 a page — with the provider's reason for each failure and
// 重新发送 for a failed one. Subjects only, never bodies: sign-in, invitation and review mail
// carry tokens (src/mail/outbox-admin.ts). An administrator of a subtree sees mail to the people
// of the units they manage; every administrator of the whole jurisdiction sees all of it.
import { Hono } from 'hono';
import { beijingMinute } from '../../core/time';
import { translator, type Lang, type Localized } from '../../core/i18n';
import { managedScope } from '../../auth/scope';
import type { AppEnv } from '../../http/app-env';
import { ApiError, outOfScope } from '../../http/errors';
import { readForm } from '../../http/form';
import { lang } from '../../http/lang';
import { findMail, listMail, mailHealth, MAIL_FILTERS, resendFailed, type MailCursor, type MailFilter, type MailHealth, type MailRow, type MailState } from '../../mail/outbox-admin';
import { AdminPage } from '../../views/admin-page';
import { Button, ChoiceFilter } from '../../views/forms';
import { SummaryList } from '../../views/summary-list';
import { deliverSoon } from '../../mail/deliver-now';

export const mailPages = new Hono<AppEnv>();

const STATES: Record<MailState, Localized> = {
  waiting: { zh: '等待发送', en: 'Waiting' },
  retrying: { zh: '重试中', en: 'Retrying' },
  failed: { zh: '发送失败', en: 'Failed' },
  sent: { zh: '已发送', en: 'Sent' },
};

const FILTER_NAMES: Record<MailFilter, Localized> = {
  unsent: { zh: '未发出（等待、重试、失败）', en: 'Not sent (waiting, retrying, failed)' },
  waiting: STATES.waiting,
  retrying: STATES.retrying,
  failed: STATES.failed,
  sent: STATES.sent,
  all: { zh: '全部', en: 'All' },
};

/** What each kind of mail is, for people; an unknown kind shows as itself. */
const KINDS: Record<string, Localized> = {
  'sign-in': { zh: '登录链接', en: 'Sign-in link' },
  invitation: { zh: '邀请', en: 'Invitation' },
  reminder: { zh: '截止提醒', en: 'Reminder' },
  overdue: { zh: '逾期通知', en: 'Overdue notice' },
  'late-units': { zh: '逾期单位汇总', en: 'Late units' },
  digest: { zh: '待审核汇总', en: 'Review digest' },
  'deadline-summary': { zh: '截止日汇总', en: 'Deadline summary' },
  'review-request': { zh: '审核请求', en: 'Review request' },
  'report-reopened': { zh: '报告重新打开', en: 'Report reopened' },
};

const time = (ms: number | null) => (ms === null ? '—' : beijingMinute(ms));

/** `?after=<created_at>.<id>`; anything else is the first page. */
function readCursor(text: string | undefined): MailCursor | undefined {
  const match = /^(\d{1,16})\.(\d{1,16})$/.exec(text ?? '');
  return match ? { createdAt: Number(match[1]), id: Number(match[2]) } : undefined;
}

function Health({ health, lang: l }: { health: MailHealth; lang: Lang }) {
  const t = translator(l);
  return (
    <section aria-labelledby="mail-health">
      <h2 id="mail-health">{t('发送状况', 'Delivery')}</h2>
      <SummaryList
        class="summary-list"
        rows={[
          [t('最近一次发送成功', 'Last delivered'), time(health.lastSentAt)],
          [
            t('最近一次发送失败', 'Last failure'),
            health.lastFailure ? (
              <>
                {time(health.lastFailure.at)}
                <br />
                <span class="mail-error">{health.lastFailure.error}</span>
              </>
            ) : (
              t('无', 'None')
            ),
          ],
          [t('等待发送', 'Waiting'), health.waiting],
          [t('重试中', 'Retrying'), health.retrying],
          [t('发送失败', 'Failed'), health.failed],
        ]}
      />
      <p class="hint">{t('时间均为北京时间。邮件每 10 分钟重试一次，最长重试 7 天。', 'Times are Beijing time. Mail is retried every 10 minutes, for up to 7 days.')}</p>
    </section>
  );
}

function Message({ m, lang: l }: { m: MailRow; lang: Lang }) {
  const t = translator(l);
  const kind = KINDS[m.kind];
  return (
    <li class="progress-item" data-mail={m.id}>
      <strong>{m.subject}</strong> <span class={`tag tag-mail-${m.state}`}>{t(STATES[m.state])}</span>
      <span class="detail">
        {kind ? t(kind) : m.kind} · {t('收件人：', 'To: ')}
        {m.to}
      </span>
      <span class="detail">
        {t('创建于 ', 'Queued ')}
        {time(m.createdAt)}
        {m.attempts ? t(` · 已尝试 ${m.attempts} 次，最近 ${time(m.lastAttemptAt)}`, ` · tried ${m.attempts} time(s), last ${time(m.lastAttemptAt)}`) : ''}
        {m.state === 'sent' ? t(` · 发送于 ${time(m.sentAt)}`, ` · sent ${time(m.sentAt)}`) : ''}
        {m.state === 'retrying' || m.state === 'waiting' ? t(` · 下次尝试 ${time(m.nextAttemptAt)}`, ` · next try ${time(m.nextAttemptAt)}`) : ''}
      </span>
      {m.lastError && m.state !== 'sent' ? (
        <span class="detail mail-error">
          {t('服务商返回：', 'Provider said: ')}
          {m.lastError}
        </span>
      ) : null}
      {m.state === 'failed' ? (
        <form method="post" action={`/app/admin/mail/${m.id}/resend`} class="inline-form">
          <Button variant="secondary">{t('重新发送', 'Send again')}</Button>
        </form>
      ) : null}
    </li>
  );
}

mailPages.get('/', async (c) => {
  const viewer = c.get('viewer')!;
  const l = lang(c);
  const t = translator(l);
  const scope = managedScope(viewer);
  const requested = c.req.query('status');
  const filter: MailFilter = MAIL_FILTERS.includes(requested as MailFilter) ? (requested as MailFilter) : 'unsent';
  const to = (c.req.query('to') ?? '').slice(0, 200);
  const after = readCursor(c.req.query('after'));
  const [health, { rows, next }] = await Promise.all([mailHealth(c.get('db'), scope), listMail(c.get('db'), scope, { filter, to, ...(after ? { after } : {}) })]);
  const resent = c.req.query('resent');
  const query = (extra: Record<string, string>) => `?${new URLSearchParams({ ...(to ? { to } : {}), status: filter, ...extra })}`;
  return c.html(
    <AdminPage lang={l} title={t('邮件', 'Mail')} section="mail">
      {resent ? (
        <p class="notice" role="status">
          {t('已重新排队，将在 10 分钟内再次发送。', 'Queued again: it will be sent within 10 minutes.')}
        </p>
      ) : null}
      {scope === 'all' ? null : <p class="hint">{t('只列出发给您所管理单位人员的邮件。', 'Only mail to people of the units you manage is listed.')}</p>}
      <Health health={health} lang={l} />
      <h2>{t('邮件', 'Messages')}</h2>
      <ChoiceFilter
        action="/app/admin/mail"
        id="mail-status"
        name="status"
        label={t('状态', 'State')}
        choices={MAIL_FILTERS}
        selected={filter}
        choiceName={(f) => t(FILTER_NAMES[f])}
        button={t('筛选', 'Filter')}
      >
        <label>
          {t('收件人', 'Recipient')}
          <input type="search" name="to" value={to} inputmode="email" autocomplete="off" />
        </label>
      </ChoiceFilter>
      {rows.length === 0 ? (
        <p>{t('没有符合条件的邮件。', 'No messages match.')}</p>
      ) : (
        <ul class="progress-list">
          {rows.map((m) => (
            <Message m={m} lang={l} />
          ))}
        </ul>
      )}
      <p>
        {after ? <a href={query({})}>{t('最新的邮件', 'Newest')}</a> : null}
        {after && next ? ' · ' : null}
        {next ? <a href={query({ after: `${next.createdAt}.${next.id}` })}>{t('更早的邮件', 'Older')}</a> : null}
      </p>
    </AdminPage>,
  );
});

mailPages.post('/:id/resend', async (c) => {
  const viewer = c.get('viewer')!;
  const l = lang(c);
  await readForm(c);
  const id = /^\d{1,12}$/.test(c.req.param('id')) ? Number(c.req.param('id')) : undefined;
  const message = id === undefined ? undefined : await findMail(c.get('db'), 'all', id);
  if (!message || id === undefined) throw new ApiError(404, 'not_found', '没有这封邮件。', 'There is no such message.');
  if (!(await findMail(c.get('db'), managedScope(viewer), id))) {
    throw outOfScope(l, 'to', '收件人不是您所管理单位的人员', 'the recipient is not a person of the units you manage');
  }
  const now = Date.now();
  if (message.state !== 'failed' || !(await resendFailed(c.get('db'), id, viewer, now))) {
    throw new ApiError(409, 'not_failed', '这封邮件不是发送失败状态，无需重新发送。', 'This message has not failed: there is nothing to send again.');
  }
  deliverSoon(c, now);
  return c.redirect('/app/admin/mail?resent=1', 303);
});
