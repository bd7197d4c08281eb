// Request bodies are checked with valibot; failures become a 422 whose details name each field
// in the reader's language (valibot's own messages are English-only and technical).
import * as v from 'valibot';
import { translator, type Lang } from '../core/i18n';
import { ApiError, type ErrorDetail } from './errors';

const EXPECTED_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  boolean: '布尔值',
  null: '空值（null）',
  Object: '对象',
  Array: '数组',
};

const zhExpected = (expected: string | null) =>
  (expected ?? '')
    .split(' | ')
    .map((e) => EXPECTED_ZH[e] ?? e)
    .join('或');

/** Our own checks carry `中文|English` messages; valibot's built-in ones are English only. */
export const localized = (message: string, lang: Lang) => {
  const [zh, en] = message.split('|');
  return translator(lang)(en === undefined ? { zh: `的值无效（${message}）`, en: `is invalid (${message})` } : { zh: zh!, en });
};

/** One detail per problem: the field's dot path and what is wrong with it. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], lang: Lang): ErrorDetail[] {
  return issues.map((issue) => {
    const field = v.getDotPath(issue) ?? '';
    const missing = issue.received === 'undefined';
    const message =
      lang === 'zh'
        ? missing
          ? `缺少字段 ${field || '（正文）'}`
          : issue.kind === 'schema'
            ? `${field || '正文'}应为${zhExpected(issue.expected)}，收到的是 ${issue.received}`
            : `${field || '正文'}${localized(issue.message, 'zh')}`
        : missing
          ? `${field || 'the body'} is missing`
          : issue.kind === 'schema'
            ? `${field || 'the body'} must be ${issue.expected}, got ${issue.received}`
            : `${field || 'the body'} ${localized(issue.message, 'en')}`;
    return { field, message, expected: issue.expected ?? undefined, received: issue.received };
  });
}

/** The 422 for a request body that is not a JSON object: every body of the API is one (api.md). */
export function notAnObject(lang: Lang): ApiError {
  const zh = '请求正文应为 JSON 对象';
  const en = 'The request body must be a JSON object';
  return new ApiError(422, 'invalid_input', `${zh}。`, `${en}.`, [{ field: '', message: translator(lang)(zh, en) }]);
}

/** Parses `input` against `schema`, or throws a 422 naming every offending field. */
export function parseOr422<S extends v.GenericSchema>(schema: S, input: unknown, lang: Lang): v.InferOutput<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw notAnObject(lang);
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ApiError(422, 'invalid_input', '提交的数据不符合要求。', 'The submitted data is invalid.', describeIssues(result.issues, lang));
}
