// /app/admin: the administrator's pages. Every page below is for administrators only
// (requireAdminPage) and shows only what lies within the units they administer
// (viewer.manageUnitIds; null = the whole jurisdiction). This index says what that scope is and
// where each job is done; each job's pages live in their own module, mounted here.
import { Hono } from 'hono';
import { translator } from '../../core/i18n';
import { unitsByIds } from '../../auth/directory';
import { requireAdminPage } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { lang } from '../../http/lang';
import { AdminPage, ADMIN_SECTIONS } from '../../views/admin-page';
import { bulkPages } from './bulk-pages';
import { mailPages } from './mail-pages';
import { correctionPages } from './correction-pages';
import { auditPages } from './audit-pages';
import { peoplePages } from './people-pages';
import { unitPages } from './units-pages';
import { importPages } from './import-page';
import { qualityPages } from './quality-pages';

export const adminPages = new Hono<AppEnv>();

adminPages.use(requireAdminPage);
// Pages about people and units as this administrator sees them: never cached.
adminPages.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

/** What each administration page is for, in a line. */
const PURPOSES: Record<(typeof ADMIN_SECTIONS)[number]['key'], { zh: string; en: string }> = {
  units: { zh: '单位树：新建、改名、调整上级、停用', en: 'The unit tree: create, rename, move, deactivate' },
  people: { zh: '填报人、审核人和管理员：添加、邀请、调整角色、停用', en: 'Clerks, supervisors and administrators: add, invite, change roles, deactivate' },
  bulk: { zh: '用 CSV 文件一次设置多个单位和人员', en: 'Set up many units and people from a CSV file' },
  import: { zh: '把往年已发布的报告导入本系统', en: 'Bring in a report published before' },
  mail: { zh: '待发送、重试中和发送失败的邮件', en: 'Mail waiting, retrying and failed' },
  audit: { zh: '谁在何时改了什么', en: 'Who changed what, and when' },
  quality: { zh: '已发布报告的质量：按时、格式、勾稽、正文与表格、内容完整', en: 'Published reports: on time, format, tables, text against tables, completeness' },
};

adminPages.route('/units', unitPages);
adminPages.route('/people', peoplePages);

adminPages.get('/', async (c) => {
  const viewer = c.get('viewer')!;
  const t = translator(lang(c));
  const administered = await unitsByIds(c.get('db'), viewer.adminUnitIds);
  const scope =
    administered.length === 0
      ? t('您管理全部单位。', 'You manage every unit.')
      : t(
          `您管理：${administered.map((u) => u.name).join('、')}及其下级单位${viewer.manageUnitIds ? `（共 ${viewer.manageUnitIds.length} 个单位）` : ''}。`,
          `You manage ${administered.map((u) => u.name).join(', ')} and the units below${viewer.manageUnitIds ? ` (${viewer.manageUnitIds.length} units in all)` : ''}.`,
        );
  return c.html(
    <AdminPage lang={lang(c)} title={t('管理', 'Administration')}>
      <p>{scope}</p>
      <ul class="report-list">
        {ADMIN_SECTIONS.map((s) => (
          <li class="report-item">
            <a class="card" href={s.href}>
              <strong>{t(s.zh, s.en)}</strong>
              <span class="meta">{t(PURPOSES[s.key].zh, PURPOSES[s.key].en)}</span>
            </a>
          </li>
        ))}
      </ul>
    </AdminPage>,
  );
});

adminPages.route('/bulk', bulkPages);
adminPages.route('/mail', mailPages);
adminPages.route('/reports', correctionPages);
adminPages.route('/audit', auditPages);
adminPages.route('/import', importPages);
adminPages.route('/quality', qualityPages);
