// What the administration API accepts, shared by its routes: field schemas with `中文|English`
// messages (src/http/validation.ts shows the reader's language), and 422s for the checks that
// need the database.
import * as v from 'valibot';
import type { Lang } from '../core/i18n';
import { invalidInput } from './errors';

/** Unit codes appear in public URLs: letters, digits, '-' and '_' (often the 统一社会信用代码). */
export const unitCode = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, '应为 1 到 64 个字母、数字、“-”或“_”|must be 1 to 64 letters, digits, "-" or "_"'),
);

/** A display name: trimmed, 1 to 100 characters, on one line (it heads reports and CSV files). */
export const displayName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, '不能为空|must not be empty'),
  v.maxLength(100, '不能超过 100 个字符|must be at most 100 characters'),
  v.regex(/^\P{Cc}*$/u, '不能包含换行等控制字符|must not contain line breaks or other control characters'),
);

/**
 * The body with the path parameter (the unit's code, the person's email) added, so one schema
 * checks both and a bad path parameter is a 422 naming it like any field. Anything but a JSON
 * object is passed through untouched, for parseOr422 to reject as a body.
 */
export function withPathParam(body: unknown, name: string, value: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, [name]: value };
}

/** A 422 naming one field, for problems only the database can reveal (an unknown unit, a cycle). */
export function fieldError(lang: Lang, field: string, zh: string, en: string) {
  return invalidInput([{ field, message: lang === 'zh' ? zh : en }]);
}
