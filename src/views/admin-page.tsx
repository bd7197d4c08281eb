// The administrator's pages (/app/admin/*) share one shell: the breadcrumb back to the workbench,
// the navigation between the administration's pages (as data: one list, one order) and a heading.
// The navigation is a plain list of links, so it works without JavaScript and wraps on a phone.
import type { PropsWithChildren } from 'hono/jsx';
import { translator, type Lang } from '../core/i18n';
import { Layout } from './layout';

/** The administration's pages, in the order an administrator meets them. */
export const ADMIN_SECTIONS = [
  { key: 'units', href: '/app/admin/units', zh: '单位', en: 'Units' },
  { key: 'people', href: '/app/admin/people', zh: '人员', en: 'People' },
  { key: 'bulk', href: '/app/admin/bulk', zh: '批量导入', en: 'Bulk set-up' },
  { key: 'import', href: '/app/admin/import', zh: '导入旧报告', en: 'Import a report' },
  { key: 'mail', href: '/app/admin/mail', zh: '邮件', en: 'Mail' },
  { key: 'audit', href: '/app/admin/audit', zh: '操作记录', en: 'Audit log' },
  { key: 'quality', href: '/app/admin/quality', zh: '质量', en: 'Quality' },
] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number]['key'];

type AdminPageProps = PropsWithChildren<{
  lang: Lang;
  /** The page's heading; the <title> adds the product's name. */
  title: string;
  /** Which navigation entry is this page's (marked aria-current); none on the index. */
  section?: AdminSection;
}>;

export function AdminPage({ lang, title, section, children }: AdminPageProps) {
  const t = translator(lang);
  return (
    <Layout title={`${title} · ${t('年报', 'Nianbao')}`} lang={lang}>
      <p class="breadcrumb">
        <a href="/app">{t('工作台', 'My work')}</a> · <a href="/app/admin">{t('管理', 'Administration')}</a>
      </p>
      <nav class="admin-nav" aria-label={t('管理', 'Administration')}>
        <ul>
          {ADMIN_SECTIONS.map((s) => (
            <li>
              <a href={s.href} aria-current={s.key === section ? 'page' : undefined}>
                {t(s.zh, s.en)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}
