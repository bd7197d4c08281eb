// Request bodies are checked with valibot; failures become a 422 whose details name each field
// in the reader's language (valibot's own messages are English-only and technical).
import * as v from 'valibot';
import type { Lang } from '../i18n';
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
            : `${field || '正文'}的值无效（${issue.message}）`
        : missing
          ? `${field || 'the body'} is missing`
          : issue.kind === 'schema'
            ? `${field || 'the body'} must be ${issue.expected}, got ${issue.received}`
            : `${field || 'the body'} is invalid (${issue.message})`;
    return { field, message, expected: issue.expected ?? undefined, received: issue.received };
  });
}

/** Parses `input` against `schema`, or throws a 422 naming every offending field. */
export function parseOr422<S extends v.GenericSchema>(schema: S, input: unknown, lang: Lang): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ApiError(422, 'invalid_input', '提交的数据不符合要求。', 'The submitted data is invalid.', describeIssues(result.issues, lang));
}
