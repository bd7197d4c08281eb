// Bulk set-up from CSV on a phone (390×844): the demo's administrator (定海区) uploads a file,
// reads the dry run with its error beside the line, fixes the file, checks again and imports.
import { describe, expect, inject, it } from 'vitest';
import { browserForFile, phone, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const chromium = browserForFile();

describe('bulk set-up at phone size', () => {
  it('upload → dry run with errors by line → fixed file → 确认导入', async () => {
    const context = await phone(chromium.browser);
    const page = await context.newPage();
    await signInThroughMail(page, base, 'admin@demo.nianbao.local');
    await page.goto(`${base}/app/admin/bulk`);
    const suffix = Date.now().toString(36).toUpperCase();
    const code = `ZS-DH-BULK-${suffix}-A-RATHER-LONG-UNIT-CODE`;
    const upload = (csv: string) =>
      page.getByLabel('CSV 文件').setInputFiles({ name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`, 'utf8') });

    await page.getByLabel('文件内容').selectOption('units');
    await upload(`单位代码,单位名称,上级单位\r\n${code},"批量新建镇, 测试",ZS-DH\r\nZS-DH-BULK-${suffix}-B,,ZS-DH\r\n`);
    await page.getByRole('button', { name: '检查' }).click();
    await page.getByText('文件中有 1 处错误').waitFor();
    await expect.poll(() => page.locator('#line-3').innerText()).toContain('不能为空');
    expect(await page.locator('#line-2').innerText()).toContain('新建');
    expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'bulk-check-errors');

    await page.getByLabel('文件内容').selectOption('units');
    await upload(`code,name,parent\r\n${code},"批量新建镇, 测试",ZS-DH\r\n`);
    await page.getByRole('button', { name: '检查' }).click();
    await page.getByText('新建 1 个，修改 0 个，不变 0 个。').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const confirm = page.getByRole('button', { name: '确认导入' });
    expect((await confirm.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await screenshot(page, 'bulk-check-ok');
    await confirm.click();
    await page.getByText('已导入：新建 1 个，修改 0 个。').waitFor();
    await screenshot(page, 'bulk-imported');

    const units = (await (await fetch(`${base}/api/v1/units`)).json()) as { units: { code: string; name: string }[] };
    expect(JSON.stringify(units)).toContain(code);
    await context.close();
  });
});
