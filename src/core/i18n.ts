// Languages: Chinese is the product's; English is offered to those who prefer it. Pure (the
// request's language is read in src/http/lang.ts).

export type Lang = 'zh' | 'en';

/** A message in both languages, e.g. for errors. */
export type Localized = { zh: string; en: string };

/** Picks the page's language: `t('保存', 'Save')`, or `t(message)` for a `Localized`. */
export interface Translate {
  (zh: string, en: string): string;
  (text: Localized): string;
}

/** The one way views and pages choose between Chinese and English text. */
export function translator(lang: Lang): Translate {
  return (zhOrText: string | Localized, en?: string) =>
    typeof zhOrText === 'string' ? (lang === 'en' ? (en ?? zhOrText) : zhOrText) : zhOrText[lang];
}

/**
 * `?lang=en` / `?lang=zh` wins; otherwise English only when the Accept-Language header prefers
 * English over Chinese (higher q, or equal q and listed first).
 */
export function chooseLang(acceptLanguage: string | undefined, override?: string): Lang {
  if (override === 'en' || override === 'zh') return override;
  const en = preference(acceptLanguage, 'en');
  const zh = preference(acceptLanguage, 'zh');
  if (!en) return 'zh';
  if (!zh) return 'en';
  return en.q > zh.q || (en.q === zh.q && en.position < zh.position) ? 'en' : 'zh';
}

type Preference = { q: number; position: number };

/** The best q-value the header gives a primary language ('en' matches 'en', 'en-US', …). */
function preference(header: string | undefined, primary: string): Preference | undefined {
  let best: Preference | undefined;
  (header ?? '').split(',').forEach((part, position) => {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    if (tag !== primary && !tag.startsWith(`${primary}-`)) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) return;
    if (!best || q > best.q) best = { q, position };
  });
  return best;
}
