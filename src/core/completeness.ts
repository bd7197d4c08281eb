// Completeness of the narrative per format (issue 16): every part the format asks for is filled
// in, and for gov-2021 (国办公开办函〔2021〕30号) 五 says how last year's problems were corrected
// and 六 states whether 信息处理费 was charged (国办函〔2020〕109号) — the content third-party
// assessments most often find missing. Warnings: each needs an explanation of why, like every
// warning. Pure; the rules exist only where the template lists them (templates/text-rules.ts).
import type { Issue } from './rules';
import type { Template, Text } from './templates/types';

/** Text that says nothing: 无, 暂无, 略, a dash. */
const PLACEHOLDER = /^(无|暂无|略|空|无内容|—+|-+|\/)[。.]?$/;
/** Words of a year before the report's (上年度, 去年 …); the year itself is added when known. */
const LAST_YEAR = /上年|上一年|去年|前一年|以往|往年/;
/** Words of correcting a problem. */
const CORRECTED = /整改|改进|改正|纠正|解决|落实|完善/;
/** 信息处理费, or a statement that nothing was charged for information. */
const FEE_POSITION = /信息处理费|处理费|(未|没有|不|无|免)[^。；]{0,8}收(取)?[^。；]{0,6}费/;

const rule = (template: Template, id: string) => template.rules.find((r) => r.id === id);

const sectionTitle = (template: Template, key: string) => template.sections.find((s) => s.key === key)?.title ?? key;

export interface CompletenessOptions {
  /** The report year: 「2023年」 in a 2024 report is last year. */
  year?: number;
}

/** The warnings for parts missing or empty, and (gov-2021) for what 五 and 六 must say. */
export function completenessIssues(template: Template, sections: Record<string, string>, options: CompletenessOptions = {}): Issue[] {
  const issues: Issue[] = [];
  const text = (key: string) => (sections[key] ?? '').trim();
  const warn = (id: string, section: string, message: Text) => {
    const info = rule(template, id);
    if (info) issues.push({ rule: id, severity: info.severity, cells: [], section, message });
  };

  for (const section of template.sections) {
    const body = text(section.key);
    if (body && !PLACEHOLDER.test(body)) continue;
    warn('completeness_parts', section.key, {
      zh: `「${section.title}」未填写：报告格式要求这一部分${section.hint ? `（${section.hint}）` : ''}`,
      en: `「${section.title}」 is empty: the format requires this part`,
    });
  }

  const problems = text('problems');
  if (problems && !PLACEHOLDER.test(problems)) {
    const lastYear = options.year ? new RegExp(`${LAST_YEAR.source}|${options.year - 1}年`) : LAST_YEAR;
    const saysCorrection = problems
      .split(/[。！？\n]/)
      .some((sentence) => lastYear.test(sentence) && CORRECTED.test(sentence));
    if (!saysCorrection) {
      warn('completeness_correction', 'problems', {
        zh: `「${sectionTitle(template, 'problems')}」未写上年度存在问题的整改情况：格式要求既写本年的问题，也写上年问题如何整改`,
        en: `「${sectionTitle(template, 'problems')}」 does not say how last year’s problems were corrected: the format asks for both`,
      });
    }
  }

  const other = text('other');
  if (other && !PLACEHOLDER.test(other) && !FEE_POSITION.test(other)) {
    warn('completeness_fees', 'other', {
      zh: `「${sectionTitle(template, 'other')}」未说明信息处理费收取情况：格式要求写明是否收取信息处理费（国办函〔2020〕109号），未收取的也应写明`,
      en: `「${sectionTitle(template, 'other')}」 does not state whether information processing fees were charged: the format asks for it, also when none were`,
    });
  }
  // An empty 六 is already completeness_parts: one warning for one gap.
  return issues;
}
