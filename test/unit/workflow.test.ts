// The report workflow's transitions and the reasons it gives when it refuses.
import { describe, expect, it } from 'vitest';
import { guard, isEditable, TRANSITIONS, unexplainedWarnings, type Issue, type Status } from '../../src/core';

const error: Issue = { rule: 'app_balance', severity: 'error', cells: ['applications.new.natural'], message: { zh: 'x', en: 'x' } };
const warning: Issue = { rule: 'carry_over', severity: 'warning', cells: ['applications.carried_in.natural'], message: { zh: 'w', en: 'w' } };
const ALL: Status[] = ['draft', 'returned', 'submitted', 'published'];

describe('workflow', () => {
  it('allows exactly the transitions of workflow.md', () => {
    const table = Object.fromEntries(
      (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).map((action) => [
        action,
        ALL.filter((status) => guard(action, { status, comment: 'c' }).ok).map((from) => `${from}→${TRANSITIONS[action].to}`),
      ]),
    );
    expect(table).toEqual({
      save: ['draft→draft', 'returned→draft'],
      submit: ['draft→submitted', 'returned→submitted'],
      approve: ['submitted→published'],
      return: ['submitted→returned'],
      reopen: ['published→draft'],
    });
    expect(ALL.filter(isEditable)).toEqual(['draft', 'returned']);
  });

  it('refuses with a reason a person can read', () => {
    expect(guard('submit', { status: 'submitted' })).toEqual({
      ok: false,
      refusal: { code: 'wrong_status', zh: '报告当前状态为“已提交，等待审核”，不能提交。', en: 'The report is submitted, awaiting review; it cannot be submitted.' },
    });
    expect(guard('submit', { status: 'draft', issues: [error, error] })).toMatchObject({ ok: false, refusal: { code: 'rule_errors', zh: '还有 2 处错误需要更正。' } });
    expect(guard('return', { status: 'submitted', comment: '  ' })).toMatchObject({ ok: false, refusal: { code: 'comment_required' } });
    expect(guard('reopen', { status: 'published' })).toMatchObject({ ok: false, refusal: { code: 'reason_required' } });
  });

  it('lets a warning through once it is explained, never an error', () => {
    expect(guard('submit', { status: 'draft', issues: [warning, warning] })).toMatchObject({ ok: false, refusal: { code: 'unexplained_warnings', zh: '还有 1 项提示需要填写说明。' } });
    expect(unexplainedWarnings([warning], { carry_over: '  ' })).toEqual(['carry_over']);
    expect(guard('submit', { status: 'returned', issues: [warning], explanations: { carry_over: '上年报告数据有误，已更正' } })).toEqual({ ok: true, to: 'submitted' });
    expect(guard('submit', { status: 'draft', issues: [warning, error], explanations: { carry_over: 'x' } }).ok).toBe(false);
  });
});
