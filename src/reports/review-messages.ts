// The mail of the review workflow: the request to review (with everything a supervisor needs to
// decide from the mailbox), and the news to the unit's clerks when it is returned, approved or
// reopened for a correction. Plain text always (many government mail clients show only that),
// and a simple HTML part.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { beijingMinute } from '../core/time';
import { isUnchanged } from '../core/diff';
import { keyTotals } from '../core/key-totals';
import { describePrevious, type ReviewSummary } from './review-subject';
import { timeliness } from '../core/timeliness';
import type { MailContent } from '../mail/messages';
import { reportTitle } from '../core/titles';
import { isTextIssue } from '../core/narrative-issues';
import type { Issue } from '../core/rules';

/** A long diff is cut in the mail; the review page shows all of it. */
const MAIL_DIFF_LINES = 30;

const blank = (v: number | null) => (v === null ? '空白' : String(v));

/** The summary as lines of text: totals, rules, changes. Shared by both parts of the mail. */
function summaryLines(s: ReviewSummary): { totals: string[]; rules: string[]; changes: string[] } {
  const totals = keyTotals(s.content.cells).map((t) => `${t.zh}：${blank(t.value)}`);
  const errors = s.issues.filter((i) => i.severity === 'error');
  const warnings = s.issues.filter((i) => i.severity === 'warning');
  // The checks on the text after the table's, under their own line: what an assessment would count.
  const onTable = warnings.filter((w) => !isTextIssue(w));
  const onText = warnings.filter(isTextIssue);
  const explained = (w: Issue) => `· ${w.message.zh}\n  说明：${(s.content.explanations[w.rule] ?? '').trim() || '（未说明）'}`;
  const rules = [
    errors.length ? `有 ${errors.length} 处错误：` : '没有错误。',
    ...errors.map((i) => `· ${i.message.zh}`),
    warnings.length ? `${warnings.length} 项提示，填报人的说明：` : '没有提示。',
    ...onTable.map(explained),
    ...(onText.length ? [`正文核对（正文与表格、内容完整性）${onText.length} 项：`, ...onText.map(explained)] : []),
  ];
  return { totals, rules, changes: changeLines(s) };
}

const previousLabel = (s: ReviewSummary) => describePrevious(s.previous!).zh;

function changeLines(s: ReviewSummary): string[] {
  if (!s.diff || !s.previous) return ['首次提交，没有可比较的上一版本。'];
  const { cells, sections, explanations } = s.diff;
  if (isUnchanged(s.diff)) return [`与${previousLabel(s)}相比没有变化。`];
  const lines = [
    ...cells.map((c) => `· ${c.name}：${blank(c.before)} → ${blank(c.after)}`),
    ...sections.map((x) => `· 已修改：${x.title}`),
    ...explanations.map((x) => `· 提示说明已${x.before ? (x.after ? '修改' : '删除') : '填写'}：${x.description.zh}`),
  ];
  const shown = lines.slice(0, MAIL_DIFF_LINES);
  if (lines.length > shown.length) shown.push(`……另有 ${lines.length - shown.length} 处变化，见审核页面。`);
  return [`与${previousLabel(s)}相比的变化：`, ...shown];
}

const paragraphs = (lines: string[]) => html`${lines.map((l) => html`${l}<br />`)}`;

export function reviewRequestMail(s: ReviewSummary, reviewer: string, url: string, expiresAt: number): MailContent {
  const title = reportTitle(s.unitName, s.year).zh;
  const subject = `请审核：${title}`;
  const { totals, rules, changes } = summaryLines(s);
  const onTime = timeliness(s.deadline, s.submittedAt);
  const facts = [
    `单位：${s.unitName}（${s.unitCode}）`,
    `年度：${s.year}`,
    ...(s.submittedAt === null ? [] : [`提交：${beijingMinute(s.submittedAt)}${s.submittedBy ? `（${s.submittedBy}）` : ''}`]),
    ...(onTime ? [`时限：${onTime.zh}`] : []),
  ];
  const notice = `此链接只发给您本人，14 天内（${beijingMinute(expiresAt)} 前）有效，只能作出一次决定；报告重新提交或已由其他审核人处理后即失效。打开链接不会改变任何内容，只有按下页面上的按钮才会作出决定。`;
  const text = [
    `${reviewer}，您好：`,
    '',
    `${s.unitName} 已提交${reportTitle(s.unitName, s.year).zh}，请您审核。`,
    '',
    ...facts,
    '',
    '主要数据：',
    ...totals.map((t) => `  ${t}`),
    '',
    `规则检查：${rules[0]}`,
    ...rules.slice(1),
    '',
    ...changes,
    '',
    '查看完整报告并审核通过或退回：',
    url,
    '',
    notice,
  ].join('\n');
  const body: HtmlEscapedString | Promise<HtmlEscapedString> = html`<p>${reviewer}，您好：</p>
    <p>${s.unitName} 已提交${reportTitle(s.unitName, s.year).zh}，请您审核。</p>
    <p>${paragraphs(facts)}</p>
    <p><strong>主要数据</strong><br />${paragraphs(totals)}</p>
    <p><strong>规则检查</strong><br />${paragraphs(rules)}</p>
    <p>${paragraphs(changes)}</p>
    <p><a href="${url}">查看完整报告并审核</a></p>
    <p>如果按钮无法点击，请复制此链接到浏览器：<br />${url}</p>
    <p>${notice}</p>`;
  return { subject, text, html: String(body) };
}

export function reviewReturnedMail(clerk: string, unitName: string, year: number, reviewer: string, comment: string, formUrl: string): MailContent {
  const title = reportTitle(unitName, year).zh;
  const subject = `报告已退回修改：${title}`;
  const text = [
    `${clerk}，您好：`,
    '',
    `${reviewer} 退回了${title}，请按意见修改后重新提交。`,
    '',
    '退回意见：',
    comment,
    '',
    '修改报告：',
    formUrl,
  ].join('\n');
  const body = html`<p>${clerk}，您好：</p>
    <p>${reviewer} 退回了${title}，请按意见修改后重新提交。</p>
    <p><strong>退回意见：</strong><br />${paragraphs(comment.split('\n'))}</p>
    <p><a href="${formUrl}">修改报告</a></p>
    <p>如果链接无法点击，请复制到浏览器：<br />${formUrl}</p>`;
  return { subject, text, html: String(body) };
}

export function reviewApprovedMail(clerk: string, unitName: string, year: number, reviewer: string, version: number, publicUrl: string): MailContent {
  const title = reportTitle(unitName, year).zh;
  const subject = `报告已审核通过并发布：${title}`;
  const what = version === 1 ? '已公开发布' : `的更正版本（第 ${version} 版）已公开发布`;
  const text = [`${clerk}，您好：`, '', `${reviewer} 审核通过了${title}，报告${what}：`, publicUrl].join('\n');
  const body = html`<p>${clerk}，您好：</p>
    <p>${reviewer} 审核通过了${title}，报告${what}：</p>
    <p><a href="${publicUrl}">${publicUrl}</a></p>`;
  return { subject, text, html: String(body) };
}

export function reopenedMail(clerk: string, unitName: string, year: number, reason: string, formUrl: string): MailContent {
  const title = reportTitle(unitName, year).zh;
  const subject = `报告已重新打开以便更正：${title}`;
  const text = [
    `${clerk}，您好：`,
    '',
    `政务公开办重新打开了已发布的${title}，请更正后重新提交审核。审核通过前，已发布的版本继续公开。`,
    '',
    '更正原因：',
    reason,
    '',
    '修改报告：',
    formUrl,
  ].join('\n');
  const body = html`<p>${clerk}，您好：</p>
    <p>政务公开办重新打开了已发布的${title}，请更正后重新提交审核。审核通过前，已发布的版本继续公开。</p>
    <p><strong>更正原因：</strong><br />${paragraphs(reason.split('\n'))}</p>
    <p><a href="${formUrl}">修改报告</a></p>`;
  return { subject, text, html: String(body) };
}
