// The texts of the daily cron's mail: reminders, overdue notices, the supervisors' digest and
// the administrators' deadline-day summary. Plain text first; the HTML part mirrors it.
import { beijingMinute } from '../core';
import type { MailContent } from '../mail/messages';
import { reportTitle } from '../core/titles';

const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** The HTML part: the same lines, links clickable. */
function asHtml(lines: string[]): string {
  return lines
    .map((line) => (line === '' ? '' : `<p>${escape(line).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>')}</p>`))
    .join('\n');
}

const mail = (subject: string, lines: string[]): MailContent => ({ subject, text: lines.join('\n'), html: asHtml(lines) });

export function reminderMail(p: { unitName: string; year: number; daysLeft: number; deadline: number; returned: boolean; link: string }): MailContent {
  const when = p.daysLeft === 0 ? '今天截止' : `还有${p.daysLeft}天截止`;
  return mail(`年报提醒：${p.unitName}${p.year}年度报告${when}`, [
    `${p.unitName}的填报人，您好：`,
    '',
    `${reportTitle(p.unitName, p.year).zh}尚未提交，${when}（截止时间 ${beijingMinute(p.deadline)}，北京时间）。`,
    ...(p.returned ? ['报告已被审核人退回，请按审核意见修改后重新提交。'] : []),
    `请登录填写：${p.link}`,
    '',
    '已提交的单位不会再收到提醒。',
  ]);
}

export function overdueMail(p: { unitName: string; year: number; daysLate: number; deadline: number; link: string }): MailContent {
  return mail(`年报逾期：${p.unitName}${p.year}年度报告已超过截止时间`, [
    `${p.unitName}的填报人，您好：`,
    '',
    `${reportTitle(p.unitName, p.year).zh}已于 ${beijingMinute(p.deadline)}（北京时间）截止，至今未提交，已逾期 ${p.daysLate} 天。`,
    '《政府信息公开条例》第四十九条规定了年度报告的公布期限，请尽快完成并提交。',
    `请登录填写：${p.link}`,
  ]);
}

export function lateUnitsMail(p: { parentName: string; year: number; units: { name: string; status: string }[]; link: string }): MailContent {
  return mail(`年报逾期：${p.parentName}下属 ${p.units.length} 个单位的${p.year}年度报告未按时提交`, [
    '审核人，您好：',
    '',
    `截止时间已过，以下单位的${p.year}年度报告尚未提交：`,
    ...p.units.map((u) => `· ${u.name}（${u.status}）`),
    '',
    `查看进度：${p.link}`,
  ]);
}

export function digestMail(p: { name: string; reports: { unitName: string; year: number; submittedAt: number | null; link: string }[] }): MailContent {
  return mail(`年报待审核：${p.reports.length} 份报告等待您审核`, [
    `${p.name}，您好：`,
    '',
    `以下报告已提交，等待您审核（按提交时间先后）：`,
    ...p.reports.map((r) => `· ${r.unitName} ${r.year}年度${r.submittedAt ? `，提交于 ${beijingMinute(r.submittedAt)}` : ''}：${r.link}`),
  ]);
}

export function deadlineSummaryMail(p: {
  year: number;
  deadline: number;
  counts: { published: number; submitted: number; draft: number; notStarted: number; expected: number };
  late: string[];
  link: string;
}): MailContent {
  const c = p.counts;
  return mail(`年报截止日汇总：${p.year}年度 已发布 ${c.published}/${c.expected}`, [
    '管理员，您好：',
    '',
    `${p.year}年度报告截止时间为 ${beijingMinute(p.deadline)}（北京时间）。当前进度：`,
    `· 已发布 ${c.published}`,
    `· 已提交待审核 ${c.submitted}`,
    `· 填写中 ${c.draft}`,
    `· 尚未开始 ${c.notStarted}`,
    '',
    ...(p.late.length ? [`尚未提交的单位（${p.late.length}）：${p.late.join('、')}`, ''] : ['所有单位均已提交。', '']),
    `查看进度：${p.link}`,
  ]);
}
