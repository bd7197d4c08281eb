// The public report page in Chromium: the demo data's published 金塘镇 2018 reads on a phone
// without the page scrolling sideways, and prints as the report alone — navigation hidden,
// A4, the official table's header row repeated on every printed page.
import { describe, expect, inject, it } from 'vitest';
import { browserForFile, phone, screenshot } from './browser';

const base = inject('baseUrl');
const PAGE = '/reports/JT-330903-101/2018';

const chromium = browserForFile();

describe('the public report page', () => {
  it('reads on a phone: the title, the numbers, and no sideways scrolling of the page', async () => {
    const context = await phone(chromium.browser);
    const page = await context.newPage();
    const response = await page.goto(`${base}${PAGE}`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('金塘镇2018年政府信息公开工作年度报告');
    expect(await page.locator('td[data-cell="stats.proactive_total.value"]').textContent()).toBe('259');
    expect(await page.locator('td[data-cell="stats.ch_gazette.value"]').textContent()).toBe('');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'public-report-phone');
    await context.close();
  });

  it('prints the report alone, with the table header repeated on each page', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${base}${PAGE}`);
    await page.emulateMedia({ media: 'print' });
    const shown = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display);
    expect(await shown('.site-header')).toBe('none');
    expect(await shown('.crumbs')).toBe('none');
    expect(await shown('.downloads')).toBe('none');
    expect(await shown('table.official thead')).toBe('table-header-group');
    expect(await shown('h1')).not.toBe('none');
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('charts on the unit page are SVG with an accessible name, beside a data table', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${base}/reports/JT-330903-101`);
    const chart = page.getByRole('img', { name: /行政复议和行政诉讼（件），按年度/ });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await page.getByRole('table', { name: '历年变化（数据表）' }).count()).toBe(1);
    await page.close();
  });
});
