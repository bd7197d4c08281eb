// The browser the tests drive comes from npm: no system Chromium, no system CJK font needed.
import { describe, expect, inject, it } from 'vitest';
import { chooseChromium, browserForFile, phone, screenshot } from './browser';

const base = inject('baseUrl');

const chromium = browserForFile();

describe('the test browser', () => {
  it('is the Chromium packed in @sparticuz/chromium unless CHROMIUM_PATH names another', async () => {
    const choice = await chooseChromium();
    if (process.env.CHROMIUM_PATH) expect(choice.executablePath).toBe(process.env.CHROMIUM_PATH);
    else {
      expect(choice.source).toMatch(/^@sparticuz\/chromium/);
      expect(choice.executablePath).not.toMatch(/^\/usr\//);
    }
    // Flags that would switch off what our pages rely on (same-origin policy, CSP enforcement).
    expect(choice.args).not.toContain('--disable-web-security');
    expect(chromium.browser.version()).toMatch(/^\d+\./);
  });

  it('draws Chinese as glyphs, not as the same empty box for every character', async () => {
    const context = await phone(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    // Two different characters drawn in the page's own font: with no CJK font both come out as
    // the identical .notdef box, so their pixels would match.
    const pixels = await page.evaluate(() => {
      const draw = (text: string) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 64;
        const g = canvas.getContext('2d')!;
        g.font = `48px ${getComputedStyle(document.body).fontFamily}`;
        g.fillText(text, 4, 52);
        return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
      };
      return { nian: draw('年'), bao: draw('报'), blank: draw(' ') };
    });
    expect(pixels.nian).not.toBe(pixels.blank);
    expect(pixels.nian).not.toBe(pixels.bao);
    expect(await page.locator('h1').first().innerText()).toMatch(/[\u4e00-\u9fff]/);
    await screenshot(page, 'home-phone');
    await context.close();
  });
});
