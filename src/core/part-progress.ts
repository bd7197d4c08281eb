// How far each part of a report form is filled in, as the form's part navigation shows it
// (「三 12/88」, 「一 ✓」): the server renders it, the browser script keeps it current as the clerk
// types. One wording for both.
import type { Lang } from './i18n';

/**
 * `filled` of `total` fields typed; a narrative part is one text. Complete is ✓; an empty
 * narrative says so rather than 「0/1」.
 */
export function partProgress(filled: number, total: number, narrative: boolean, lang: Lang): string {
  if (total > 0 && filled >= total) return '✓';
  if (narrative) return lang === 'en' ? 'empty' : '未填';
  return `${filled}/${total}`;
}

/** The short name of a part in the navigation: 「一」 of 「一、总体情况」, or the whole title. */
export const partNumber = (title: string) => title.split('、')[0] ?? title;
