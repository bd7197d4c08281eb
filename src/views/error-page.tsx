import { translator, type Lang } from '../core/i18n';
import { Layout } from './layout';

type ErrorPageProps = { status: number; message: string; lang: Lang };

/** What a person (not an API client) sees when something goes wrong. */
export function ErrorPage({ status, message, lang }: ErrorPageProps) {
  const home = translator(lang)('返回首页', 'Back to the home page');
  return (
    <Layout title={`${status} · 年报`} lang={lang}>
      <section class="error">
        <p class="error-status">{status}</p>
        <h1>{message}</h1>
        <p>
          <a href="/">{home}</a>
        </p>
      </section>
    </Layout>
  );
}
