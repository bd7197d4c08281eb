// Pages of the sign-in flow: forms that work without JavaScript, one question per page,
// an error summary at the top linking to the field (GOV.UK pattern).
import { translator, type Lang, type Localized } from '../../core/i18n';
import type { PersonRole } from '../../db/schema';
import { Button, ErrorSummary, TextInput } from '../../views/forms';
import { Layout } from '../../views/layout';
import { SummaryList } from '../../views/summary-list';

export function SignInPage(props: { lang: Lang; email?: string; error?: string; next?: string; signedOut?: boolean }) {
  const t = translator(props.lang);
  return (
    <Layout title={t('登录 · 年报', 'Sign in · Nianbao')} lang={props.lang}>
      {props.error ? <ErrorSummary title={t('请更正以下问题', 'There is a problem')} errors={[{ href: '#email', text: props.error }]} /> : null}
      {props.signedOut ? <p class="notice">{t('您已退出登录。', 'You have signed out.')}</p> : null}
      <h1>{t('登录', 'Sign in')}</h1>
      <p>{t('输入您登记的电子邮箱，我们会发送一个登录链接，无需密码。', 'Enter your registered email address and we will send you a sign-in link. No password needed.')}</p>
      <form method="post" action="/auth/link" class="form" novalidate>
        <TextInput
          id="email"
          name="email"
          type="email"
          label={t('电子邮箱', 'Email address')}
          error={props.error}
          inputmode="email"
          autocomplete="email"
          spellcheck={false}
          value={props.email ?? ''}
          required
        />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <Button>{t('发送登录链接', 'Send me a sign-in link')}</Button>
      </form>
    </Layout>
  );
}

export function LinkSentPage(props: { lang: Lang; email: string }) {
  const t = translator(props.lang);
  return (
    <Layout title={t('请查收邮件 · 年报', 'Check your email · Nianbao')} lang={props.lang}>
      <h1>{t('请查收邮件', 'Check your email')}</h1>
      <p>
        {t(
          `如果 ${props.email} 已在本系统登记，我们已向它发送登录链接。链接 15 分钟内有效，只能使用一次。`,
          `If ${props.email} is registered here, we have sent it a sign-in link. The link works once, within 15 minutes.`,
        )}
      </p>
      <p>
        {t('没有收到？请检查垃圾邮件，或', 'Nothing arrived? Check your spam folder, or ')}
        <a href="/signin">{t('重新发送', 'send another link')}</a>
        {t('。', '.')}
      </p>
    </Layout>
  );
}

export function VerifyPage(props: { lang: Lang; token: string; next?: string; email: string; name: string }) {
  const t = translator(props.lang);
  return (
    <Layout title={t('确认登录 · 年报', 'Confirm sign-in · Nianbao')} lang={props.lang}>
      <h1>{t('确认登录', 'Confirm sign-in')}</h1>
      <p>
        {t(`您将以 ${props.name}（${props.email}）的身份登录。`, `You are signing in as ${props.name} (${props.email}).`)}
      </p>
      {/* A button, not an automatic redirect: mail scanners open links; only a person presses buttons. */}
      <form method="post" action="/auth/verify" class="form">
        <input type="hidden" name="token" value={props.token} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <Button>{t('登录', 'Sign in')}</Button>
      </form>
    </Layout>
  );
}

export type DeadLinkReason = 'used' | 'expired' | 'unknown';

/** Why the link cannot sign anyone in, as the page tells it. */
const DEAD_LINK_REASONS: Record<DeadLinkReason, Localized> = {
  used: { zh: '这个登录链接已经使用过了。每个链接只能使用一次。', en: 'This sign-in link has already been used. Each link works once.' },
  expired: { zh: '这个登录链接已过期（有效期 15 分钟）。', en: 'This sign-in link has expired (links last 15 minutes).' },
  unknown: { zh: '这个登录链接无效，可能复制不完整。', en: 'This sign-in link is not valid; it may have been copied incompletely.' },
};

export function DeadLinkPage(props: { lang: Lang; reason: DeadLinkReason }) {
  const t = translator(props.lang);
  return (
    <Layout title={t('链接不可用 · 年报', 'Link not usable · Nianbao')} lang={props.lang}>
      <h1>{t('无法使用此链接登录', 'You cannot sign in with this link')}</h1>
      <p>{t(DEAD_LINK_REASONS[props.reason])}</p>
      <p>
        <Button href="/signin">{t('获取新的登录链接', 'Get a new sign-in link')}</Button>
      </p>
    </Layout>
  );
}

export function TooManyRequestsPage(props: { lang: Lang; retryAfter: number }) {
  const t = translator(props.lang);
  const minutes = Math.ceil(props.retryAfter / 60);
  return (
    <Layout title={t('请稍后再试 · 年报', 'Try again later · Nianbao')} lang={props.lang}>
      <h1>{t('请求过于频繁', 'Too many requests')}</h1>
      <p>{t(`请在 ${minutes} 分钟后再试。`, `Please try again in ${minutes} minute(s).`)}</p>
    </Layout>
  );
}

export interface HomeUnit {
  code: string;
  name: string;
}

/** A report the clerk files, as the home page lists it. */
export interface HomeReport {
  unitCode: string;
  unitName: string;
  year: number;
  status: Localized;
  statusKey: string;
  /** 「距截止还有 9 天」 or null when no deadline applies. */
  deadline: Localized | null;
  comment: string | null;
  editable: boolean;
}

const ROLE_NAMES: Record<PersonRole, Localized> = {
  clerk: { zh: '填报人', en: 'Clerk' },
  supervisor: { zh: '审核人', en: 'Supervisor' },
  admin: { zh: '管理员（政务公开办）', en: 'Administrator' },
};

export function AppHomePage(props: {
  lang: Lang;
  name: string;
  email: string;
  role: PersonRole;
  clerkUnits: HomeUnit[];
  supervisorUnits: HomeUnit[];
  reviewUnits: HomeUnit[];
  reports?: HomeReport[];
  /** Years with a reporting cycle, newest first: progress (and, for administrators, settings). */
  cycleYears?: number[];
  /** The report year a new cycle would be for (core/schedule nextCycleYear); none when both this and next year's exist. */
  nextCycleYear?: number;
  /** Submitted reports waiting for this supervisor or administrator. */
  waitingCount?: number;
}) {
  const t = translator(props.lang);
  const list = (units: HomeUnit[]) => (
    <ul class="unit-list">
      {units.map((u) => (
        <li>
          {u.name} <span class="code">{u.code}</span>
        </li>
      ))}
    </ul>
  );
  return (
    <Layout title={t('我的工作台 · 年报', 'My work · Nianbao')} lang={props.lang}>
      <h1>{t(`您好，${props.name}`, `Hello, ${props.name}`)}</h1>
      <SummaryList
        class="summary-list"
        rows={[
          [t('邮箱', 'Email'), props.email],
          [t('角色', 'Role'), t(ROLE_NAMES[props.role])],
        ]}
      />
      {props.role === 'admin' ? (
        <p>
          <Button href="/app/admin">{t('管理单位、人员和邮件', 'Manage units, people and mail')}</Button>
        </p>
      ) : null}
      {props.clerkUnits.length > 0 ? (
        <section>
          <h2>{t('您负责填报的单位', 'Units you report for')}</h2>
          {list(props.clerkUnits)}
        </section>
      ) : null}
      {props.reports?.length ? (
        <section>
          <h2>{t('年度报告', 'Annual reports')}</h2>
          <ul class="report-list">
            {props.reports.map((r) => (
              <li class="report-item">
                <a class="card" href={`/app/reports/${r.unitCode}/${r.year}`}>
                  <strong>
                    {r.unitName} {r.year} {t('年度', '')}
                  </strong>
                  <span class={`tag tag-${r.statusKey}`}>{t(r.status)}</span>
                  {r.deadline && r.editable ? <span class="deadline">{t(r.deadline)}</span> : null}
                  {r.comment ? (
                    <span class="comment">
                      {t('退回意见：', 'Returned: ')}
                      {r.comment}
                    </span>
                  ) : null}
                  <span class="action">{r.editable ? t('填写', 'Fill in') : t('查看', 'View')}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.supervisorUnits.length > 0 || props.role === 'admin' ? (
        <p>
          <Button href="/app/review">
            {t(`待审核的报告（${props.waitingCount ?? 0}）`, `Reports waiting for review (${props.waitingCount ?? 0})`)}
          </Button>
        </p>
      ) : null}
      {(props.supervisorUnits.length > 0 || props.role === 'admin') && (props.cycleYears?.length || props.role === 'admin') ? (
        <section>
          <h2>{t('报告周期', 'Reporting cycles')}</h2>
          <ul class="unit-list">
            {(props.cycleYears ?? []).map((year) => (
              <li>
                <a href={`/app/progress/${year}`}>{t(`${year} 年度填报进度`, `${year} progress`)}</a>
                {props.role === 'admin' ? (
                  <>
                    {' · '}
                    <a href={`/app/cycles/${year}`}>{t('设置', 'Settings')}</a>
                  </>
                ) : null}
              </li>
            ))}
            {props.role === 'admin' && props.nextCycleYear && !props.cycleYears?.includes(props.nextCycleYear) ? (
              <li>
                <a href={`/app/cycles/${props.nextCycleYear}`}>{t(`开启 ${props.nextCycleYear} 年度报告周期`, `Open the ${props.nextCycleYear} cycle`)}</a>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
      {props.supervisorUnits.length > 0 ? (
        <section>
          <h2>{t('您审核的单位', 'Units you review')}</h2>
          <p>
            {t(
              `作为 ${props.supervisorUnits.map((u) => u.name).join('、')} 的审核人，您审核以下单位的报告：`,
              `As a supervisor of ${props.supervisorUnits.map((u) => u.name).join(', ')}, you review the reports of:`,
            )}
          </p>
          {list(props.reviewUnits)}
        </section>
      ) : null}
      <form method="post" action="/auth/logout" class="form">
        <Button variant="secondary">{t('退出登录', 'Sign out')}</Button>
      </form>
    </Layout>
  );
}
