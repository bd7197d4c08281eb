// The report workflow (workflow.md "Report states") as a table. Guards return reasons a person
// can read, never bare booleans, so every refusal says why.
import { hasErrors, type Issue } from './rules';

export type Status = 'draft' | 'returned' | 'submitted' | 'published';
export type Action = 'save' | 'submit' | 'approve' | 'return' | 'reopen';

interface Transition {
  from: readonly Status[];
  to: Status;
}

export const TRANSITIONS: Record<Action, Transition> = {
  save: { from: ['draft', 'returned'], to: 'draft' },
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'published' },
  return: { from: ['submitted'], to: 'returned' },
  reopen: { from: ['published'], to: 'draft' },
};

export interface Refusal {
  code: string;
  zh: string;
  en: string;
}

export type Verdict = { ok: true; to: Status } | { ok: false; refusal: Refusal };

const STATUS_NAMES: Record<Status, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  returned: { zh: '已退回修改', en: 'returned for changes' },
  submitted: { zh: '已提交，等待审核', en: 'submitted, awaiting review' },
  published: { zh: '已发布', en: 'published' },
};

export const statusName = (status: Status) => STATUS_NAMES[status];

export const isEditable = (status: Status) => TRANSITIONS.save.from.includes(status);

export interface GuardInput {
  status: Status;
  /** submit: the current issues at stage 'submit'. */
  issues?: Issue[];
  /** submit: an explanation per warning rule. */
  explanations?: Record<string, string>;
  /** return: the supervisor's comment; reopen: the administrator's reason. */
  comment?: string;
}

/** The rule ids of warnings that still lack an explanation. */
export function unexplainedWarnings(issues: Issue[], explanations: Record<string, string>): string[] {
  const rules = new Set(issues.filter((i) => i.severity === 'warning').map((i) => i.rule));
  return [...rules].filter((rule) => !(explanations[rule] ?? '').trim());
}

export function guard(action: Action, input: GuardInput): Verdict {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(input.status)) {
    const now = STATUS_NAMES[input.status];
    return {
      ok: false,
      refusal: {
        code: 'wrong_status',
        zh: `报告当前状态为“${now.zh}”，不能${ACTION_NAMES[action].zh}。`,
        en: `The report is ${now.en}; it cannot be ${ACTION_NAMES[action].en}.`,
      },
    };
  }
  if (action === 'submit') {
    const issues = input.issues ?? [];
    if (hasErrors(issues)) {
      const n = issues.filter((i) => i.severity === 'error').length;
      return { ok: false, refusal: { code: 'rule_errors', zh: `还有 ${n} 处错误需要更正。`, en: `${n} error${n === 1 ? '' : 's'} must be corrected first.` } };
    }
    const missing = unexplainedWarnings(issues, input.explanations ?? {});
    if (missing.length) {
      return {
        ok: false,
        refusal: {
          code: 'unexplained_warnings',
          zh: `还有 ${missing.length} 项提示需要填写说明。`,
          en: `${missing.length} warning${missing.length === 1 ? '' : 's'} need an explanation.`,
        },
      };
    }
  }
  if ((action === 'return' || action === 'reopen') && !(input.comment ?? '').trim()) {
    return {
      ok: false,
      refusal:
        action === 'return'
          ? { code: 'comment_required', zh: '退回时请填写修改意见。', en: 'Say what needs changing when returning a report.' }
          : { code: 'reason_required', zh: '重新打开已发布的报告时请填写更正原因。', en: 'Give the reason for the correction.' },
    };
  }
  return { ok: true, to: transition.to };
}

const ACTION_NAMES: Record<Action, { zh: string; en: string }> = {
  save: { zh: '修改', en: 'edited' },
  submit: { zh: '提交', en: 'submitted' },
  approve: { zh: '审核通过', en: 'approved' },
  return: { zh: '退回', en: 'returned' },
  reopen: { zh: '重新打开', en: 'reopened' },
};
