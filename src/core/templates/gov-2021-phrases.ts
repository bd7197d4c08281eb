// gov-2021's narrative phrases (see phrases.ts): 规章 and 规范性文件 制发/废止/现行有效 (二, 第二十条
// 第（一）项), 行政事业性收费 in 万元 (第（八）项), and the applications and appeals of 三 and 四.
import { COUNTS, govApplicationPhrases, type FigurePhrase } from './phrases';

const RULES = '规章';
const NORMATIVE = '(行政)?规范性文件';

const regulation = (row: 'rules' | 'normative', noun: string, label: string): FigurePhrase[] => [
  {
    what: { zh: `现行有效的${label}`, en: `${label} in force` },
    anchor: new RegExp(`现行有效(的)?${noun}`),
    units: COUNTS,
    readings: [{ cells: [`regulations.${row}.in_force`], name: { zh: '现行有效件数', en: 'in force' } }],
  },
  {
    what: { zh: `本年制发的${label}`, en: `${label} issued` },
    anchor: new RegExp(`(制发|出台|制定|印发|新发布)[^，,。；]{0,6}?${noun}`),
    unless: /现行有效|清理|废止|累计|历年/,
    units: COUNTS,
    readings: [{ cells: [`regulations.${row}.issued`], name: { zh: '本年制发件数', en: 'issued' } }],
  },
  {
    what: { zh: `本年废止的${label}`, en: `${label} repealed` },
    anchor: new RegExp(`(废止|废除)[^，,。；]{0,6}?${noun}`),
    unless: /现行有效|累计|历年/,
    units: COUNTS,
    readings: [{ cells: [`regulations.${row}.repealed`], name: { zh: '本年废止件数', en: 'repealed' } }],
  },
];

export const GOV_2021_PHRASES: FigurePhrase[] = [
  ...regulation('rules', RULES, '规章'),
  ...regulation('normative', NORMATIVE, '行政规范性文件'),
  {
    what: { zh: '行政事业性收费', en: 'administrative fees' },
    anchor: /(行政事业性)?收费(金额|总额|收入)?(共计|合计|共|为|达)?/,
    unless: /信息处理费|减免/,
    units: ['万元'],
    readings: [{ cells: ['fees.fees.amount'], name: { zh: '本年收费金额', en: 'fees collected' } }],
  },
  ...govApplicationPhrases(),
];
