// Keeps the part navigation's counts (「三 12/88」, 「一 ✓」, src/areas/clerk/part-nav.tsx) current
// as the clerk types, fills blanks with 0 or takes in a colleague's save.
import { partProgress } from '../core/part-progress';
import type { Lang } from './text';

interface PartCount {
  count: HTMLElement;
  fields: (HTMLInputElement | HTMLTextAreaElement)[];
  narrative: boolean;
}

export class PartNav {
  private readonly parts: PartCount[] = [];

  constructor(
    form: HTMLFormElement,
    private readonly lang: Lang,
  ) {
    for (const count of form.querySelectorAll<HTMLElement>('[data-part-count]')) {
      const part = document.getElementById(`part-${count.dataset.partCount}`);
      if (!part) continue;
      const fields = [...part.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[name^="c."], textarea[data-section]')];
      this.parts.push({ count, fields, narrative: fields[0] instanceof HTMLTextAreaElement });
    }
  }

  update(): void {
    for (const { count, fields, narrative } of this.parts) {
      const label = partProgress(fields.filter((field) => field.value.trim() !== '').length, fields.length, narrative, this.lang);
      if (count.textContent !== label) count.textContent = label;
    }
  }
}
