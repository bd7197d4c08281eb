// The narrative boxes grow with their text (no scrolling inside a box on a phone) and count what
// was written, 「已输入 N 字」. Growing is CSS's (field-sizing: content, static/app.css) where the
// browser has it; elsewhere the box is fitted to its text here. Without JavaScript they are
// plain text areas.
import type { Lang } from './text';

const grows = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

/** Characters written, not counting spaces and line breaks (as a word processor counts 字). */
const written = (text: string) => [...text.replace(/\s/g, '')].length;

export class TextAreas {
  private readonly areas: { area: HTMLTextAreaElement; count: HTMLElement | null }[];

  constructor(form: HTMLFormElement, private readonly lang: Lang) {
    this.areas = [...form.querySelectorAll<HTMLTextAreaElement>('textarea[name^="s."], textarea[name^="x."]')].map((area) => ({
      area,
      count: area.name.startsWith('s.') ? counter(area) : null,
    }));
  }

  /** After input, or when a value was put in by the script (restore, a colleague's save). */
  update(): void {
    for (const { area, count } of this.areas) {
      if (count) {
        const n = written(area.value);
        count.textContent = this.lang === 'en' ? `${n} character${n === 1 ? '' : 's'} written` : `已输入 ${n} 字`;
      }
      // A hidden box (an explanation no warning asks for) has no height to fit yet.
      if (!grows && area.offsetParent) {
        area.style.height = 'auto';
        area.style.height = `${area.scrollHeight + area.offsetHeight - area.clientHeight}px`;
      }
    }
  }
}

/** The count just below its box, read with the box's description. */
function counter(area: HTMLTextAreaElement): HTMLElement {
  const count = document.createElement('p');
  count.className = 'char-count';
  count.id = `${area.id}-count`;
  area.after(count);
  area.setAttribute('aria-describedby', `${area.getAttribute('aria-describedby') ?? ''} ${count.id}`.trim());
  return count;
}
