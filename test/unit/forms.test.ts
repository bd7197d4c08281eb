// The form components (src/views/forms.tsx) wire each field once: the label is for the control,
// the hint and the error sit beside it with the ids its aria-describedby lists, and it is
// aria-invalid when wrong; the error summary links to the fields and can take focus.
import { describe, expect, it } from 'vitest';
import { Button, Checkboxes, ErrorSummary, NumberInput, Select, Textarea, TextInput } from '../../src/views/forms';

const render = async (node: unknown) => String(await node);

interface Element {
  tag: string;
  attrs: Record<string, string>;
}

/** The start tags of the HTML, with their attributes (enough for our own markup). */
function elements(html: string): Element[] {
  return [...html.matchAll(/<([a-z0-9]+)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    tag: m[1]!,
    attrs: Object.fromEntries([...m[2]!.matchAll(/([^\s=/>]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, a[2] ?? ''])),
  }));
}

const find = (html: string, tag: string) => elements(html).filter((e) => e.tag === tag);
const byId = (html: string, id: string) => elements(html).find((e) => e.attrs.id === id);
const textOf = (html: string, id: string) => html.match(new RegExp(`id="${id}"[^>]*>([^<]*)<`))?.[1];

/** Every id an aria-describedby names is on the page. */
function expectDescriptionsPresent(html: string) {
  for (const e of elements(html)) {
    for (const id of (e.attrs['aria-describedby'] ?? '').split(' ').filter(Boolean)) expect(byId(html, id), id).toBeDefined();
  }
}

describe('a field', () => {
  it('labels its control and lets the hint and the error describe it, then marks it invalid', async () => {
    const html = await render(TextInput({ id: 'days', name: 'days', label: '提前提醒天数', hint: '用逗号分隔', error: '请输入整数', value: '7,7' }));
    const [group] = find(html, 'div');
    expect(group!.attrs.class).toBe('field field-error');
    expect(find(html, 'label')[0]!.attrs.for).toBe('days');
    expect(textOf(html, 'days-hint')).toBe('用逗号分隔');
    expect(textOf(html, 'days-error')).toBe('请输入整数');
    expect(byId(html, 'days-error')!.attrs.class).toBe('field-message');
    const input = byId(html, 'days')!;
    expect(input).toMatchObject({ tag: 'input', attrs: { name: 'days', type: 'text', value: '7,7', 'aria-describedby': 'days-hint days-error', 'aria-invalid': 'true' } });
    // GOV.UK's order: label, hint, error, then the control.
    expect(html.indexOf('days-hint')).toBeLessThan(html.indexOf('days-error'));
    expect(html.indexOf('id="days-error"')).toBeLessThan(html.indexOf('id="days"'));
  });

  it('says nothing it does not have: no error, no hint', async () => {
    const hinted = await render(TextInput({ id: 'd', name: 'd', label: 'D', hint: 'h' }));
    expect(find(hinted, 'div')[0]!.attrs.class).toBe('field');
    expect(byId(hinted, 'd')!.attrs).toMatchObject({ 'aria-describedby': 'd-hint' });
    expect(byId(hinted, 'd')!.attrs['aria-invalid']).toBeUndefined();
    const bare = await render(TextInput({ id: 'e', name: 'e', label: 'E', type: 'email', autocomplete: 'email', required: true }));
    expect(byId(bare, 'e')!.attrs).toEqual({ id: 'e', name: 'e', type: 'email', autocomplete: 'email', required: '' });
    expect(bare).not.toContain('class="hint"');
    expect(bare).not.toContain('field-message');
  });

  it('a number is text with the keypad that fits; a report cell is a small group, invalid also for a broken rule', async () => {
    const modes = await Promise.all(
      [{}, { decimals: 2 }, { signed: true }].map(async (p) => byId(await render(NumberInput({ id: 'n', name: 'n', label: 'N', ...p })), 'n')!.attrs),
    );
    expect(modes.map((a) => [a.type, a.inputmode])).toEqual([
      ['text', 'numeric'],
      ['text', 'decimal'],
      ['text', 'text'],
    ]);
    const wrong = await render(NumberInput({ id: 'f-c.a.b.c', name: 'c.a.b.c', kind: 'cell', label: '自然人', error: '请输入数字', 'data-cell': 'a.b.c', suffix: '万元' }));
    expect(find(wrong, 'div')[0]!.attrs.class).toBe('cell cell-error');
    expect(byId(wrong, 'f-c.a.b.c')!.attrs).toMatchObject({ 'data-cell': 'a.b.c', 'aria-describedby': 'f-c.a.b.c-error', 'aria-invalid': 'true' });
    expect(wrong.indexOf('万元')).toBeGreaterThan(wrong.indexOf('id="f-c.a.b.c"'));
    const ruleBroken = await render(NumberInput({ id: 'x', name: 'x', kind: 'cell', label: 'X', invalid: true }));
    expect(find(ruleBroken, 'div')[0]!.attrs.class).toBe('cell');
    expect(byId(ruleBroken, 'x')!.attrs['aria-invalid']).toBe('true');
    expect(byId(ruleBroken, 'x')!.attrs['aria-describedby']).toBeUndefined();
  });

  it('a textarea holds its text and its group carries what the browser script finds it by', async () => {
    const html = await render(
      Textarea({ id: 'f-x.yoy', name: 'x.yoy', label: '说明', error: '请说明', rows: 2, value: 'a < b', group: { 'data-explanation': 'yoy', hidden: true } }),
    );
    expect(find(html, 'div')[0]!.attrs).toEqual({ class: 'field field-error', 'data-explanation': 'yoy', hidden: '' });
    expect(byId(html, 'f-x.yoy')!.attrs).toMatchObject({ name: 'x.yoy', rows: '2', 'aria-describedby': 'f-x.yoy-error', 'aria-invalid': 'true' });
    expect(html).toContain('>a &lt; b</textarea>');
  });

  it('a select marks the chosen option', async () => {
    const html = await render(Select({ id: 's', name: 's', label: 'S', error: '请选择', selected: 'b', options: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }] }));
    expect(find(html, 'option').map((o) => o.attrs)).toEqual([{ value: 'a' }, { value: 'b', selected: '' }]);
    expect(byId(html, 's')!.attrs).toMatchObject({ 'aria-describedby': 's-error', 'aria-invalid': 'true' });
    expectDescriptionsPresent(html);
  });

  it('checkboxes: a fieldset described by its error, the first box carrying the id the summary links to', async () => {
    const items = [{ value: 'JT', label: '金塘镇', checked: true }, { value: 'BQ', label: '白泉镇' }];
    const html = await render(Checkboxes({ id: 'units', name: 'units', legend: '应报单位', class: 'unit-choice', error: '请至少选择一个', items }));
    expect(find(html, 'fieldset')[0]!.attrs).toEqual({ class: 'field field-error unit-choice', 'aria-describedby': 'units-error' });
    expect(find(html, 'input').map((i) => i.attrs)).toEqual([
      { id: 'units', type: 'checkbox', name: 'units', value: 'JT', checked: '' },
      { id: 'units-2', type: 'checkbox', name: 'units', value: 'BQ' },
    ]);
    expectDescriptionsPresent(html);
    const fine = await render(Checkboxes({ id: 'units', name: 'units', legend: '应报单位', items }));
    expect(find(fine, 'fieldset')[0]!.attrs).toEqual({ class: 'field' });
  });
});

describe('the error summary', () => {
  it('is announced, can take focus, and links to each field', async () => {
    const html = await render(ErrorSummary({ title: '请更正以下问题', errors: [{ href: '#email', text: '请输入有效的电子邮箱' }] }));
    expect(find(html, 'div')[0]!.attrs).toEqual({ class: 'error-summary', role: 'alert', tabindex: '-1' });
    expect(html).toContain('<h2>请更正以下问题</h2>');
    expect(html).toContain('<li><a href="#email">请输入有效的电子邮箱</a></li>');
  });

  it('one the browser script rewrites is not role=alert; only warnings look like warnings', async () => {
    const html = await render(ErrorSummary({ title: '请核对', alert: false, warning: true, 'data-summary': '', errors: [{ href: '#f-c.a', text: 'w', class: 'warning' }] }));
    expect(find(html, 'div')[0]!.attrs).toEqual({ class: 'error-summary warning-summary', tabindex: '-1', 'data-summary': '' });
    expect(html).toContain('<li class="warning"><a href="#f-c.a">w</a></li>');
    expect(await render(ErrorSummary({ title: '只有标题' }))).not.toContain('<ul>');
  });
});

describe('buttons', () => {
  it('submit with their name and value; a link can look like one', async () => {
    expect(await render(Button({ children: '保存', name: 'action', value: 'save' }))).toBe('<button type="submit" name="action" value="save" class="button">保存</button>');
    expect(await render(Button({ children: '填 0', variant: 'secondary', 'data-fill-zero': '' }))).toBe('<button type="submit" class="button button-secondary" data-fill-zero="">填 0</button>');
    expect(await render(Button({ children: '撤销', variant: 'link' }))).toBe('<button type="submit" class="link-button">撤销</button>');
    expect(await render(Button({ children: '返回更正', href: '/app' }))).toBe('<a class="button" href="/app">返回更正</a>');
  });
});
