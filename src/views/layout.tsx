import { raw } from 'hono/html';
import type { PropsWithChildren } from 'hono/jsx';
import { translator, type Lang } from '../core/i18n';

type LayoutProps = PropsWithChildren<{
  title: string;
  lang?: Lang;
  /**
   * 'form': the report form, which links app.css alone (its rules are all the form uses; a
   * clerk's phone downloads no more: the form page's 25 KB budget). Every other page also links
   * pages.css: the official layout, public pages, review, progress, administration.
   */
  styles?: 'all' | 'form';
}>;

/** The page shell of every HTML page: no inline script or style, so the CSP stays strict. */
export function Layout({ title, lang = 'zh', styles = 'all', children }: LayoutProps) {
  const t = translator(lang);
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={t('zh-CN', 'en')}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <link rel="icon" href="/favicon.ico" sizes="32x32" />
          {/* static/app.css and pages.css without their comments, built by scripts/build-client.mjs. */}
          <link rel="stylesheet" href="/static/app.min.css" />
          {styles === 'all' ? <link rel="stylesheet" href="/static/pages.min.css" /> : null}
        </head>
        <body>
          <header class="site-header">
            <a class="brand" href="/">
              <span lang="zh-CN">年报</span> <span class="brand-latin">Nianbao</span>
            </a>
            {/* /app sends anyone not signed in to the sign-in page. */}
            <a class="header-link" href="/app">
              {t('工作台', 'My work')}
            </a>
          </header>
          <main>{children}</main>
          <footer class="site-footer">
            {t('政府信息公开工作年度报告', 'Annual reports on government information disclosure')}
          </footer>
        </body>
      </html>
    </>
  );
}
