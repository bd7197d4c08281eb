// 国办发〔2014〕32号《政府信息公开情况统计表》 with a free narrative: report years up to 2018.
// Historical reports are published as they were filed, so every rule here is a warning.
import { PLAUSIBLE_DESCRIPTION } from '../plausibility';
import { cellKey, statisticsLayout } from './layout';
import { plus } from './shared';
import { COMPLETENESS_PARTS, NARRATIVE_FIGURES } from './text-rules';
import type { Check, Measure, Row, Table, Template } from './types';

const UNITS: Record<string, Measure> = {
  条: { unit: '条', decimals: 0 },
  件: { unit: '件', decimals: 0 },
  次: { unit: '次', decimals: 0 },
  篇: { unit: '篇', decimals: 0 },
  个: { unit: '个', decimals: 0 },
  人: { unit: '人', decimals: 0 },
  人次: { unit: '人次', decimals: 0 },
  万元: { unit: '万元', decimals: 6 },
};

// [key, 统计指标, 单位, heading printed before the row]
const ROWS: [string, string, string, string?][] = [
  ['proactive_total', '（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）', '条', '一、主动公开情况'],
  ['proactive_normative', '其中：主动公开规范性文件数', '条'],
  ['normative_issued', '制发规范性文件总数', '件'],
  ['ch_gazette', '1.政府公报公开政府信息数', '条', '（二）通过不同渠道和方式公开政府信息的情况'],
  ['ch_website', '2.政府网站公开政府信息数', '条'],
  ['ch_weibo', '3.政务微博公开政府信息数', '条'],
  ['ch_wechat', '4.政务微信公开政府信息数', '条'],
  ['ch_other', '5.其他方式公开政府信息数', '条'],
  ['responses', '（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）', '次', '二、回应解读情况'],
  ['press', '1.参加或举办新闻发布会总次数', '次', '（二）通过不同渠道和方式回应解读的情况'],
  ['press_chief', '其中：主要负责同志参加新闻发布会次数', '次'],
  ['interviews', '2.政府网站在线访谈次数', '次'],
  ['interviews_chief', '其中：主要负责同志参加政府网站在线访谈次数', '次'],
  ['interpretations', '3.政策解读稿件发布数', '篇'],
  ['social_responses', '4.微博微信回应事件数', '次'],
  ['other_responses', '5.其他方式回应事件数', '次'],
  ['apps_received', '（一）收到申请数', '件', '三、依申请公开情况'],
  ['apps_in_person', '1.当面申请数', '件'],
  ['apps_fax', '2.传真申请数', '件'],
  ['apps_online', '3.网络申请数', '件'],
  ['apps_letter', '4.信函申请数', '件'],
  ['apps_closed', '（二）申请办结数', '件'],
  ['apps_on_time', '1.按时办结数', '件'],
  ['apps_extended', '2.延期办结数', '件'],
  ['replies', '（三）申请答复数', '件'],
  ['r_already_public', '1.属于已主动公开范围数', '件'],
  ['r_granted', '2.同意公开答复数', '件'],
  ['r_partial', '3.同意部分公开答复数', '件'],
  ['r_refused', '4.不同意公开答复数', '件'],
  ['ref_state_secret', '其中：涉及国家秘密', '件'],
  ['ref_trade_secret', '涉及商业秘密', '件'],
  ['ref_privacy', '涉及个人隐私', '件'],
  ['ref_security', '危及国家安全、公共安全、经济安全和社会稳定', '件'],
  ['ref_not_gov_info', '不是《条例》所指政府信息', '件'],
  ['ref_other_law', '法律法规规定的其他情形', '件'],
  ['r_not_ours', '5.不属于本行政机关公开数', '件'],
  ['r_not_exist', '6.申请信息不存在数', '件'],
  ['r_amend', '7.告知作出更改补充数', '件'],
  ['r_other_channel', '8.告知通过其他途径办理数', '件'],
  ['reviews', '四、行政复议数量', '件'],
  ['reviews_upheld', '（一）维持具体行政行为数', '件'],
  ['reviews_corrected', '（二）被依法纠错数', '件'],
  ['reviews_other', '（三）其他情形数', '件'],
  ['suits', '五、行政诉讼数量', '件'],
  ['suits_upheld', '（一）维持具体行政行为或者驳回原告诉讼请求数', '件'],
  ['suits_corrected', '（二）被依法纠错数', '件'],
  ['suits_other', '（三）其他情形数', '件'],
  ['complaints', '六、举报投诉数量', '件'],
  ['fees_collected', '七、依申请公开信息收取的费用', '万元'],
  ['bodies', '（一）政府信息公开工作专门机构数', '个', '八、机构建设和保障经费情况'],
  ['reading_points', '（二）设置政府信息公开查阅点数', '个'],
  ['staff', '（三）从事政府信息公开工作人员数', '人'],
  ['staff_full', '1.专职人员数（不包括政府公报及政府网站工作人员数）', '人'],
  ['staff_part', '2.兼职人员数', '人'],
  ['funds', '（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）', '万元'],
  ['meetings', '（一）召开政府信息公开工作会议或专题会议数', '次', '九、政府信息公开会议和培训情况'],
  ['trainings', '（二）举办各类培训班数', '次'],
  ['trainees', '（三）接受培训人员数', '人次'],
];

const rows: Row[] = ROWS.map(([key, label, unit, heading]) => ({
  key,
  label,
  measure: UNITS[unit]!,
  ...(heading ? { heading } : {}),
}));

const stats: Table = {
  key: 'stats',
  ref: '',
  measure: UNITS['件']!,
  rows,
  columns: [{ key: 'value', label: '统计数' }],
};

const s = (key: string) => cellKey('stats', key, 'value');

const sum = (rule: string, total: string, items: string[], zh: string, en: string): Check => ({
  rule,
  left: [plus(s(total))],
  op: 'eq',
  right: items.map((i) => plus(s(i))),
  rightName: { zh, en },
});

const atMost = (part: string, whole: string): Check => {
  const label = ROWS.find((r) => r[0] === whole)![1];
  return { rule: 'legacy_subsets', left: [plus(s(part))], op: 'le', right: [plus(s(whole))], rightName: { zh: label, en: label } };
};

const refusals = ['ref_state_secret', 'ref_trade_secret', 'ref_privacy', 'ref_security', 'ref_not_gov_info', 'ref_other_law'];

const checks: Check[] = [
  sum('legacy_received', 'apps_received', ['apps_in_person', 'apps_fax', 'apps_online', 'apps_letter'], '当面、传真、网络、信函申请数之和', 'the sum of applications in person, by fax, online and by letter'),
  sum('legacy_closed', 'apps_closed', ['apps_on_time', 'apps_extended'], '按时办结数与延期办结数之和', 'closed on time + closed late'),
  sum('legacy_replies', 'replies', ['r_already_public', 'r_granted', 'r_partial', 'r_refused', 'r_not_ours', 'r_not_exist', 'r_amend', 'r_other_channel'], '八类答复数之和', 'the sum of the eight kinds of reply'),
  {
    rule: 'legacy_refused',
    left: [plus(s('r_refused'))],
    op: 'ge',
    right: refusals.map((r) => plus(s(r))),
    rightName: { zh: '其中各项之和', en: 'the sum of its 其中 items' },
  },
  sum('legacy_reviews', 'reviews', ['reviews_upheld', 'reviews_corrected', 'reviews_other'], '维持、纠错、其他情形数之和', 'upheld + corrected + other'),
  sum('legacy_suits', 'suits', ['suits_upheld', 'suits_corrected', 'suits_other'], '维持、纠错、其他情形数之和', 'upheld + corrected + other'),
  sum('legacy_staff', 'staff', ['staff_full', 'staff_part'], '专职人员数与兼职人员数之和', 'full-time + part-time staff'),
  atMost('proactive_normative', 'proactive_total'),
  ...['ch_gazette', 'ch_website', 'ch_weibo', 'ch_wechat', 'ch_other'].map((c) => atMost(c, 'proactive_total')),
  atMost('press_chief', 'press'),
  atMost('interviews_chief', 'interviews'),
];

const warning = (id: string, zh: string, en: string) => ({ id, severity: 'warning' as const, description: { zh, en } });

export const legacy2014: Template = {
  id: 'legacy-2014',
  title: '政府信息公开情况统计表',
  basis: '国办发〔2014〕32号《政府信息公开情况统计表》',
  years: { from: null, to: 2018 },
  sections: [{ key: 'body', title: '正文', hint: '主要工作情况、重点领域公开情况、存在的不足和改进情况等' }],
  tables: [stats],
  parts: [
    { type: 'section', key: 'body' },
    { type: 'tables', key: 'stats', title: '政府信息公开情况统计表', tables: ['stats'], layout: statisticsLayout(stats) },
  ],
  rules: [
    warning('nonneg', '每个数为不小于 0 的数；件、条、次等为整数', 'every cell is a number ≥ 0; counts are whole numbers'),
    warning('plausible', PLAUSIBLE_DESCRIPTION.zh, PLAUSIBLE_DESCRIPTION.en),
    warning('legacy_received', '收到申请数 = 当面 + 传真 + 网络 + 信函申请数', 'applications received = in person + fax + online + letter'),
    warning('legacy_closed', '申请办结数 = 按时办结数 + 延期办结数', 'closed = on time + extended'),
    warning('legacy_replies', '申请答复数 = 八类答复数之和', 'replies = the sum of the eight kinds of reply'),
    warning('legacy_refused', '不同意公开答复数 ≥ 其中各项之和', 'refused ≥ the sum of its 其中 items'),
    warning('legacy_reviews', '行政复议数量 = 维持 + 纠错 + 其他情形', 'reviews = upheld + corrected + other'),
    warning('legacy_suits', '行政诉讼数量 = 维持 + 纠错 + 其他情形', 'suits = upheld + corrected + other'),
    warning('legacy_staff', '从事政府信息公开工作人员数 = 专职 + 兼职', 'staff = full-time + part-time'),
    warning('legacy_subsets', '“其中”项及各渠道数不大于其总数', 'a 其中 item or a channel never exceeds its total'),
    NARRATIVE_FIGURES,
    COMPLETENESS_PARTS,
  ],
  checks,
};
