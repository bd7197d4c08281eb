// gov-2019's narrative phrases (see phrases.ts): 规章 and 规范性文件 本年新制作 (二, 第二十条第（一）项;
// this format counts no 废止 and no 现行有效), and the applications and appeals of 三 and 四.
import { COUNTS, govApplicationPhrases, type FigurePhrase } from './phrases';

const made = (row: 'rules' | 'normative', noun: string, label: string): FigurePhrase => ({
  what: { zh: `本年新制作的${label}`, en: `${label} made` },
  anchor: new RegExp(`(制发|制作|出台|制定|印发)[^，,。；]{0,6}?${noun}`),
  unless: /现行有效|清理|废止|累计|历年|对外公开总/,
  units: COUNTS,
  readings: [{ cells: [`regulations.${row}.made`], name: { zh: '本年新制作数量', en: 'made this year' } }],
});

export const GOV_2019_PHRASES: FigurePhrase[] = [made('rules', '规章', '规章'), made('normative', '(行政)?规范性文件', '规范性文件'), ...govApplicationPhrases()];
