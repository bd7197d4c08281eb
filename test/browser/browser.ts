// Chromium driven by playwright-core, at a phone's size. The browser comes from npm, like
// everything else the tests need: @sparticuz/chromium ships a headless Chromium inside its
// package (unpacked to the temp folder on first use, ~1.5 s), so `npm install` is enough on a
// machine with no browser and no way to download one. CHROMIUM_PATH runs another Chromium
// (e.g. /usr/bin/chromium) instead. Chinese text needs a CJK font the machine may not have:
// @embedpdf/fonts-sc ships Noto Sans CJK SC (Noto Sans Hans), and a fontconfig file written
// here puts it in front of the system's fonts, so screenshots show 年报, not boxes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import packagedChromium from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const PHONE = { width: 390, height: 844 };
export const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/**
 * Flags of @sparticuz/chromium's list that would make the browser less like a user's: no
 * same-origin policy or mixed-content blocking (our CSP and CORS must be tested for real), and
 * one process (meant for AWS Lambda's sandbox; several pages at once are more faithful).
 */
const UNFAITHFUL_FLAGS = ['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials', '--single-process'];

/** Also wanted on any Chromium: nothing reaches for Google's hosts on this closed network. */
const QUIET_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** What runs, for the log: the packaged build or the one CHROMIUM_PATH names. */
  source: string;
}

/** The Chromium the tests drive: CHROMIUM_PATH if set, otherwise the one packed in @sparticuz/chromium. */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override}: no such file (unset it to use the Chromium from @sparticuz/chromium)`);
    return { executablePath: override, args: QUIET_FLAGS, source: `CHROMIUM_PATH (${override})` };
  }
  packagedChromium.setGraphicsMode = false; // no WebGL needed; skips unpacking SwiftShader's GL
  const executablePath = await packagedChromium.executablePath();
  const args = packagedChromium.args.filter((flag) => !UNFAITHFUL_FLAGS.includes(flag) && !flag.startsWith('--headless'));
  return { executablePath, args: [...new Set([...args, ...QUIET_FLAGS])], source: `@sparticuz/chromium (${executablePath})` };
}

/** The folder holding Noto Sans CJK SC's .otf files, inside node_modules. */
export function cjkFontDir(): string {
  // The package exports only its font list (dist/index.*): its files sit in ../fonts.
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts');
}

/**
 * A fontconfig file that adds the CJK font (and the Latin ones @sparticuz/chromium unpacks) to
 * whatever the system has, with a cache of its own, so Chromium finds Chinese glyphs even on a
 * machine with no fonts installed at all.
 */
export function writeFontConfig(): string {
  const dir = join(tmpdir(), 'nianbao-fontconfig');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'fonts.conf');
  const fontDirs = [cjkFontDir(), join(tmpdir(), 'fonts')].filter((d) => existsSync(d));
  writeFileSync(
    file,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      ...fontDirs.map((d) => `  <dir>${d}</dir>`),
      `  <cachedir>${join(dir, 'cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  return file;
}

export async function launch(): Promise<Browser> {
  const choice = await chooseChromium();
  return chromium.launch({
    executablePath: choice.executablePath,
    args: choice.args,
    env: { ...process.env, FONTCONFIG_FILE: writeFontConfig() },
  });
}

/** One browser for the calling test file: launched before its tests, closed after them. */
export function browserForFile(): { readonly browser: Browser } {
  const handle = {} as { browser: Browser };
  beforeAll(async () => {
    handle.browser = await launch();
  });
  afterAll(async () => {
    await handle.browser?.close();
  });
  return handle;
}

/** A fresh phone-sized, Chinese-language browser profile. */
export function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
