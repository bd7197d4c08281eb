// The report form's parts at the top of the form (issue 14: 166 inputs are 17 screens on a
// phone): one in-page link per part (一、二、三 …), each with how far it is filled in. Plain
// anchors, so it works without JavaScript; the browser script (src/client/part-nav-counts.ts) keeps
// the counts current. 「其余空白填0」 lives here, out of the sticky action bar.
import type { Child } from 'hono/jsx';
import { cellCatalog, type Template } from '../../core';
import { derivedCells } from '../../core/derived-cells';
import { translator, type Lang } from '../../core/i18n';
import { partNumber, partProgress } from '../../core/part-progress';

export const partId = (key: string) => `part-${key}`;

export interface PartNavProps {
  lang: Lang;
  template: Template;
  /** Whether the field (c.<cell>, s.<section>) holds something, as the form shows it. */
  isFilled(name: string): boolean;
  /** The 「其余空白填0」 button, when there are blanks. */
  children?: Child;
}

export function PartNav({ lang, template, isFilled, children }: PartNavProps) {
  const t = translator(lang);
  const catalog = [...cellCatalog(template).keys()];
  const derived = derivedCells(template);
  return (
    <nav class="part-nav" data-part-nav="" aria-label={t('报告各部分', 'Parts of the report')}>
      <ol>
        {template.parts.map((part) => {
          const narrative = part.type === 'section';
          const title = narrative ? template.sections.find((s) => s.key === part.key)!.title : part.title;
          const fields = narrative
            ? [`s.${part.key}`]
            : catalog.filter((key) => !derived.has(key) && part.tables.includes(key.split('.')[0]!)).map((key) => `c.${key}`);
          const filled = fields.filter(isFilled).length;
          return (
            <li>
              <a href={`#${partId(part.key)}`}>
                {/* The official part title (Chinese in every language, as printed). */}
                <span class="part-nav-number" lang="zh-CN">
                  {partNumber(title)}
                </span>
                <span class="visually-hidden" lang="zh-CN">
                  {title.slice(partNumber(title).length + 1)}
                </span>{' '}
                <span class="part-nav-count" data-part-count={part.key}>
                  {partProgress(filled, fields.length, narrative, lang)}
                </span>
              </a>
            </li>
          );
        })}
      </ol>
      {children}
    </nav>
  );
}
