// Narrative phrases → cells: for each template, the wordings with which reports state a figure
// the tables count (「收到政府信息公开申请75件」, 「现行有效行政规范性文件393件」), as data beside
// the templates. core/narrative.ts finds them in the text and compares each figure with its cells.
// Regular expressions are matched on the text before the figure within its clause (between
// ，；：); the figure's unit must be one of `units`.
import type { CellKey, Text } from './types';

/** One way the wording may be read: the cells whose sum it counts. */
export interface Reading {
  cells: CellKey[];
  /** What this reading counts, in messages (「本年新收加上年结转」). */
  name: Text;
}

export interface FigurePhrase {
  /** What the figure counts, in messages: 「收到的政府信息公开申请」. */
  what: Text;
  /** The words naming what is counted: a match must end at most GAP characters before the figure. */
  anchor: RegExp;
  /** Somewhere in the clause before the figure (a verb: 收到, 受理 …). */
  needs?: RegExp;
  /** Not in the clause before the figure: another measure (办结 is not 收到). */
  unless?: RegExp;
  /** Somewhere in the sentence or just before it: the topic, where the anchor alone is too common (申请). */
  context?: RegExp;
  /** The units the figure may be written in (件, 条 …). */
  units: readonly string[];
  /** Each reading the wording allows: a figure equal to any of them is no mismatch. */
  readings: Reading[];
}

export const COUNTS = ['件', '条', '个', '份', '宗', '起', '项'] as const;
export const CASES = ['件', '起', '宗', '个', '次', '项'] as const;

/** The words of an application: 政府信息公开申请, 依申请公开, 公开申请, or 申请 alone in its topic. */
const APPLICATION = /(信息公开|公开)(的)?申请|依申请公开|申请公开|申请/;
/** Verbs of receiving an application. */
export const RECEIVED = /收到|受理|接收|接到|收悉|新收|共有|申请共计/;
/** Words of results: a figure after them counts results, not applications received. */
export const NOT_RECEIVED = /办结|答复|回复|办理完毕|结转|予以公开|部分公开|不予|无法提供|其他处理/;
/** Application topic words, in the sentence or just before it (a paragraph's heading). */
export const APPLICATION_TOPIC = /依申请|公开申请|信息公开/;
/** A 复议/诉讼 figure counts the information-disclosure cases only when the sentence says so. */
export const DISCLOSURE = /公开/;
const APPLICATION_UNITS = ['件', '条', '个', '份'] as const;

/** A reading: the cells a figure may count, named for messages. */
export const reading = (cells: CellKey[], zh: string, en: string): Reading => ({ cells, name: { zh, en } });

// The phrases every format shares, each against the format's own cells (`readings`).

/** 收到/受理 … 申请 … 件. */
export const receivedPhrase = (readings: Reading[]): FigurePhrase => ({
  what: { zh: '收到的政府信息公开申请', en: 'applications received' },
  anchor: APPLICATION,
  needs: RECEIVED,
  unless: NOT_RECEIVED,
  context: APPLICATION_TOPIC,
  units: APPLICATION_UNITS,
  readings,
});

/** 办结 … 件; `anchor`: the words of closing the format's table counts. */
export const closedPhrase = (anchor: RegExp, readings: Reading[]): FigurePhrase => ({
  what: { zh: '办结的政府信息公开申请', en: 'applications closed' },
  anchor,
  context: APPLICATION_TOPIC,
  units: APPLICATION_UNITS,
  readings,
});

/** 行政复议 … 件/起, in a sentence about disclosure. */
export const reviewsPhrase = (readings: Reading[]): FigurePhrase => ({
  what: { zh: '政府信息公开行政复议', en: 'administrative reviews' },
  anchor: /行政复议/,
  context: DISCLOSURE,
  units: CASES,
  readings,
});

/** 行政诉讼 … 件/起, in a sentence about disclosure. */
export const suitsPhrase = (readings: Reading[]): FigurePhrase => ({
  what: { zh: '政府信息公开行政诉讼', en: 'lawsuits' },
  anchor: /行政诉讼/,
  context: DISCLOSURE,
  units: CASES,
  readings,
});

/** Applications received, 复议 and 诉讼: the same 三 and 四 tables in gov-2021 and gov-2019. */
export function govApplicationPhrases(): FigurePhrase[] {
  const newTotal = 'applications.new.total';
  const carried = 'applications.carried_in.total';
  const results = 'applications.results_total.total';
  const received = [reading([newTotal], '本年新收', 'received this year'), reading([newTotal, carried], '本年新收加上年结转', 'received this year plus carried over')];
  const handled = reading([results], '本年度办理结果总计', 'handling results, total');
  return [
    // 办理 may count what was received (new, or with carried over) or what was handled.
    { ...receivedPhrase([...received, handled]), what: { zh: '办理的政府信息公开申请', en: 'applications handled' }, needs: /办理/ },
    receivedPhrase(received),
    closedPhrase(/办结|办理完毕|答复/, [handled]),
    reviewsPhrase([reading(['appeals.review.total'], '行政复议总计', 'reviews, total')]),
    suitsPhrase([reading(['appeals.suit_direct.total', 'appeals.suit_after_review.total'], '未经复议直接起诉与复议后起诉之和', 'direct and after-review suits')]),
  ];
}
