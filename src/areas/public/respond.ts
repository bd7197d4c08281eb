// Helpers shared by the public routes: query parsing, unit checks, dates and CSV answers.
import type { Context } from 'hono';
import type * as v from 'valibot';
import { CSV_BOM } from '../../core/csv';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';
import { parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { findUnit } from '../../publication/queries';
import { httpDate } from '../../core/time';

/** The query string checked against its schema: a 422 naming the parameter otherwise. */
export const readQuery = <S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): v.InferOutput<S> =>
  parseOr422(schema, c.req.query(), lang(c));

/** A filter naming a unit that does not exist is a mistake worth saying (422), not an empty list. */
export async function requireKnownUnit(c: Context<AppEnv>, code: string | undefined, field: string): Promise<void> {
  if (code === undefined) return;
  if (await findUnit(c.get('db'), code)) return;
  const zh = `没有代码为“${code}”的单位`;
  const en = `there is no unit with code "${code}"`;
  throw new ApiError(422, 'unknown_unit', `${zh}。`, `${en[0]!.toUpperCase()}${en.slice(1)}.`, [
    { field, message: lang(c) === 'en' ? en : zh },
  ]);
}

export const nothingPublished = () =>
  new ApiError(404, 'not_published', '没有已发布的该报告。', 'No such published report.');

/** Last-Modified: the newest publication the answer shows. */
export function setLastModified(c: Context, ms: number | null | undefined): void {
  if (ms) c.header('Last-Modified', httpDate(ms));
}

/** A CSV answer: UTF-8 (the body carries the BOM), shown inline, named for saving. */
export function csvResponse(c: Context, body: string, filename: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `inline; filename="${filename}"`);
  return c.body(body.startsWith(CSV_BOM) ? body : CSV_BOM + body);
}
