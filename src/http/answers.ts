// Shapes that answers of several areas share (the drafts API, validation, imports), as valibot
// schemas: the routes type their answers with them and the OpenAPI document describes them.
import * as v from 'valibot';
import { named } from './route';

/** A rule's finding, in the reader's language (src/core/rules.ts Issue, its message localized). */
export const IssueAnswer = named(
  'Issue',
  v.object({
    rule: v.string(),
    severity: v.picklist(['error', 'warning']),
    cells: v.pipe(v.array(v.string()), v.description('涉及的单元格 · the cells involved, `TABLE.ROW.COLUMN`')),
    message: v.string(),
    expected: v.optional(v.pipe(v.number(), v.description('该单元格应有的值 · the value the cell should have'))),
    actual: v.optional(v.nullable(v.number())),
    section: v.optional(v.pipe(v.string(), v.description('正文部分（正文核对、完整性）· the narrative part, for checks on the text'))),
    sentence: v.optional(v.pipe(v.string(), v.description('所述数字所在的句子 · the clause stating the figure'))),
  }),
);

/** `TABLE.ROW.COLUMN` → number, null for a blank cell. */
export const CellsAnswer = v.pipe(
  v.record(v.string(), v.nullable(v.number())),
  v.description('`TABLE.ROW.COLUMN` → 数值，空白为 null（空白不是 0）· cell key → number, null for a blank cell (blank is not zero)'),
);
