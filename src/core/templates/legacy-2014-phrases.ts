// legacy-2014's narrative phrases (see phrases.ts): 主动公开 … 条, 回应 … 次, 收到/办结 申请 … 件,
// 行政复议/行政诉讼 … 件 and 收费 … 万元, each against its row of the single statistics table.
import { closedPhrase, reading, receivedPhrase, reviewsPhrase, suitsPhrase, type FigurePhrase } from './phrases';

const s = (row: string, zh: string, en: string) => reading([`stats.${row}.value`], zh, en);

export const LEGACY_2014_PHRASES: FigurePhrase[] = [
  {
    what: { zh: '主动公开的规范性文件', en: 'normative documents published' },
    anchor: /主动公开[^，,。；]{0,4}规范性文件/,
    units: ['条', '件', '个', '份'],
    readings: [s('proactive_normative', '主动公开规范性文件数', 'normative documents published')],
  },
  {
    what: { zh: '主动公开的政府信息', en: 'information published proactively' },
    anchor: /主动公开(了)?(的)?(政府信息|政务信息|政务|信息)?/,
    units: ['条', '件', '个', '项'],
    readings: [s('proactive_total', '主动公开政府信息数', 'information published proactively')],
  },
  {
    what: { zh: '制发的规范性文件', en: 'normative documents issued' },
    anchor: /(制发|出台|制定|印发)[^，,。；]{0,6}?规范性文件/,
    unless: /现行有效|清理|废止|累计|历年/,
    units: ['件', '个', '份', '条'],
    readings: [s('normative_issued', '制发规范性文件总数', 'normative documents issued')],
  },
  {
    what: { zh: '回应公众关注热点或重大舆情', en: 'responses to public concerns' },
    anchor: /回应[^，,。；\d]{0,8}?(热点|舆情|关切)(问题|事件)?/,
    units: ['次', '个', '件', '条'],
    readings: [s('responses', '回应公众关注热点或重大舆情数', 'responses')],
  },
  receivedPhrase([s('apps_received', '收到申请数', 'applications received')]),
  closedPhrase(/办结|办理完毕/, [s('apps_closed', '申请办结数', 'applications closed')]),
  reviewsPhrase([s('reviews', '行政复议数量', 'reviews')]),
  suitsPhrase([s('suits', '行政诉讼数量', 'lawsuits')]),
  {
    what: { zh: '依申请公开收取的费用', en: 'fees for information' },
    anchor: /收(取)?[^，,。；\d]{0,6}?费(用)?(共计|合计|共|为|达)?/,
    units: ['万元'],
    readings: [s('fees_collected', '依申请公开信息收取的费用', 'fees collected')],
  },
];
