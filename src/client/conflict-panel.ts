// When a colleague saved the same fields meanwhile: what differs (名称：原为 X → 服务器为 Y（您填的是 Z）)
// and two buttons. Shown above the form and focused, since the clerk must decide before saving goes on.
import { cellCatalog, type Template } from '../core';
import type { Conflict } from './autosave';
import type { Texts } from './text';
import { EXPLANATION, SECTION, isCell, keyOf, type FieldName } from './values';

const PANEL = 'data-conflict';
const LONGEST_SHOWN = 40;

export function showConflict(form: HTMLFormElement, template: Template, text: Texts, lang: 'zh' | 'en', conflict: Conflict): void {
  document.querySelector(`[${PANEL}]`)?.remove();
  const panel = document.createElement('div');
  panel.className = 'notice notice-conflict';
  panel.setAttribute('role', 'alert');
  panel.setAttribute(PANEL, '');
  panel.tabIndex = -1;

  const title = document.createElement('p');
  title.textContent = text.conflictTitle(conflict.revision);
  const list = document.createElement('ul');
  for (const item of conflict.items) {
    const li = document.createElement('li');
    li.textContent = text.conflictItem(fieldLabel(template, item.name, lang, text), shown(item.was, text), shown(item.server, text), shown(item.mine, text));
    list.append(li);
  }
  const close = (choice: () => void) => () => {
    panel.remove();
    choice();
  };
  panel.append(title, list, button(text.keepMine, 'button', close(conflict.keepMine)), ' ', button(text.useServer, 'button button-secondary', close(conflict.useServer)));
  form.before(panel);
  panel.scrollIntoView({ block: 'start' });
  panel.focus({ preventScroll: true });
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

/** How the form names the field: the cell's catalogue name, the section title, the warning rule. */
function fieldLabel(template: Template, name: FieldName, lang: 'zh' | 'en', text: Texts): string {
  const key = keyOf(name);
  if (isCell(name)) return cellCatalog(template).get(key)?.name ?? key;
  if (name.startsWith(SECTION)) return template.sections.find((s) => s.key === key)?.title ?? key;
  if (name.startsWith(EXPLANATION)) return text.explanationOf(template.rules.find((r) => r.id === key)?.description[lang] ?? key);
  return name;
}

function shown(value: string, text: Texts): string {
  const trimmed = value.trim();
  if (!trimmed) return text.blank;
  return trimmed.length > LONGEST_SHOWN ? `「${trimmed.slice(0, LONGEST_SHOWN)}…」` : trimmed;
}
