// A report's title, spelled one way everywhere (pages, forms, mail, the feed), as the State
// Council's format and the published reports print it: 金塘镇2025年政府信息公开工作年度报告.
import type { Localized } from './i18n';

export function reportTitle(unitName: string, year: number): Localized {
  return {
    zh: `${unitName}${year}年政府信息公开工作年度报告`,
    en: `${unitName}: annual report on government information disclosure, ${year}`,
  };
}
