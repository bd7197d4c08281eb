// Everything the script says to the clerk, in Chinese and English. The page's <html lang> picks
// one (the server sets it from Accept-Language or ?lang=), so script and page always agree.

export type Lang = 'zh' | 'en';

export function pageLang(): Lang {
  return document.documentElement.lang.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export interface Texts {
  saved(revision: number): string;
  notSavedYet: string;
  saving: string;
  offline: string;
  serverError: string;
  signedOut: string;
  notEditable(message: string): string;
  rejected(message: string): string;
  /** Some cells could not be saved (named); everything else is saved in `revision` (0: nothing yet). */
  fixCells(cells: string[], revision: number): string;
  conflictWaiting: string;
  restored(cells: number, texts: string[]): string;
  merged(revision: number): string;
  fillZero(blanks: number): string;
  filled(count: number): string;
  undo: string;
  undone(count: number): string;
  notANumber(cellName: string): string;
  summaryErrors(count: number): string;
  summaryWarnings: string;
  conflictTitle(revision: number): string;
  conflictItem(name: string, was: string, server: string, mine: string): string;
  keepMine: string;
  useServer: string;
  blank: string;
  explanationOf(rule: string): string;
  /** The link from a warning to its explanation box (as the server writes it). */
  explainLink: string;
}

const zh: Texts = {
  saved: (revision) => `已保存（第 ${revision} 稿）`,
  notSavedYet: '尚未保存',
  saving: '保存中…',
  offline: '离线：已保存在本机，恢复网络后自动上传',
  serverError: '未保存：服务器暂时出错，将自动重试',
  signedOut: '未保存：登录已过期。您的输入保留在本机，请重新登录后再打开此页。',
  notEditable: (message) => `未保存：${message}`,
  rejected: (message) => `未保存：${message}`,
  fixCells: (cells, revision) =>
    `${revision > 0 ? `其余内容已保存（第 ${revision} 稿）；` : ''}未保存：${cells[0]}${cells.length > 1 ? ` 等 ${cells.length} 个单元格` : ''}无法识别或超出范围，请更正`,
  conflictWaiting: '未保存：同事保存了新的一稿，请在页首选择保留哪个',
  restored: (cells, texts) =>
    `已恢复上次未保存的输入：${[cells ? `${cells} 个单元格` : '', ...texts].filter(Boolean).join('、')}。将自动保存。`,
  merged: (revision) => `同事保存了第 ${revision} 稿，已与您的输入合并。`,
  fillZero: (blanks) => `其余 ${blanks} 个空白填 0`,
  filled: (count) => `已将 ${count} 个空白填为 0。`,
  undo: '撤销',
  undone: (count) => `已撤销，${count} 个单元格恢复为空白。`,
  notANumber: (name) => `${name}：请输入数字，例如 0 或 12`,
  summaryErrors: (count) => `有 ${count} 处需要更正`,
  summaryWarnings: '请核对以下提示并填写说明',
  conflictTitle: (revision) => `同事已保存了新的一稿（第 ${revision} 稿），以下内容与您的输入不同：`,
  conflictItem: (name, was, server, mine) => `${name}：原为 ${was} → 服务器为 ${server}（您填的是 ${mine}）`,
  keepMine: '保留我的',
  useServer: '使用服务器的',
  blank: '空白',
  explanationOf: (rule) => `说明：${rule}`,
  explainLink: '填写说明',
};

const en: Texts = {
  saved: (revision) => `Saved (revision ${revision})`,
  notSavedYet: 'Not saved yet',
  saving: 'Saving…',
  offline: 'Offline: kept on this device; it uploads when the connection returns',
  serverError: 'Not saved: the server had a problem; retrying automatically',
  signedOut: 'Not saved: you have been signed out. Your input is kept on this device; sign in and open this page again.',
  notEditable: (message) => `Not saved: ${message}`,
  rejected: (message) => `Not saved: ${message}`,
  fixCells: (cells, revision) =>
    `${revision > 0 ? `Everything else is saved (revision ${revision}); ` : ''}not saved: ${cells[0]}${cells.length > 1 ? ` and ${cells.length - 1} more cell(s)` : ''}: not a number or out of range; correct it`,
  conflictWaiting: 'Not saved: a colleague saved a newer revision; choose which to keep at the top of the page',
  restored: (cells, texts) =>
    `Restored what you typed last time but had not been saved: ${[cells ? `${cells} cell(s)` : '', ...texts].filter(Boolean).join(', ')}. It will be saved automatically.`,
  merged: (revision) => `A colleague saved revision ${revision}; it has been merged with your input.`,
  fillZero: (blanks) => `Fill the other ${blanks} blanks with 0`,
  filled: (count) => `Filled ${count} blank(s) with 0.`,
  undo: 'Undo',
  undone: (count) => `Undone: ${count} cell(s) are blank again.`,
  notANumber: (name) => `${name}: enter a number, e.g. 0 or 12`,
  summaryErrors: (count) => `${count} thing(s) to correct`,
  summaryWarnings: 'Check these warnings and explain them',
  conflictTitle: (revision) => `A colleague saved a newer revision (${revision}); these differ from your input:`,
  conflictItem: (name, was, server, mine) => `${name}: was ${was} → server has ${server} (you typed ${mine})`,
  keepMine: 'Keep mine',
  useServer: 'Use the server’s',
  blank: 'blank',
  explanationOf: (rule) => `Explanation: ${rule}`,
  explainLink: 'Explain',
};

export const textsFor = (lang: Lang): Texts => (lang === 'en' ? en : zh);
