import { describe, expect, it } from 'vitest';
import { chooseLang, translator } from '../../src/core/i18n';

describe('chooseLang', () => {
  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['en', 'en'],
    ['fr-FR,fr;q=0.9', 'zh'],
    ['fr,en;q=0.5', 'en'],
    ['en;q=0.5,zh;q=0.5', 'en'], // equal weight: the one listed first
    ['zh;q=0.5,en;q=0.5', 'zh'],
    ['en;q=0,zh;q=0.1', 'zh'], // q=0 means "not acceptable"
    ['EN-gb', 'en'],
    ['english', 'zh'], // not a language tag for English
  ] as const)('Accept-Language %j → %s', (header, expected) => {
    expect(chooseLang(header)).toBe(expected);
  });

  it('lets ?lang= override the header', () => {
    expect(chooseLang('zh-CN', 'en')).toBe('en');
    expect(chooseLang('en', 'zh')).toBe('zh');
    expect(chooseLang('en', 'de')).toBe('en');
  });
});

describe('translator', () => {
  it('picks the language of the page, from two strings or one Localized', () => {
    const zh = translator('zh');
    const en = translator('en');
    expect(zh('保存', 'Save')).toBe('保存');
    expect(en('保存', 'Save')).toBe('Save');
    expect(zh({ zh: '已发布', en: 'Published' })).toBe('已发布');
    expect(en({ zh: '已发布', en: 'Published' })).toBe('Published');
  });
});
