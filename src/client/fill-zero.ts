// 「其余 N 个空白填 0」 without a page load: a town with no applications types a handful of numbers
// and fills the other cells at once. The button keeps the live count; 「撤销」 empties exactly the
// cells it filled (those the clerk has not retyped since).
import type { FormFields } from './fields';
import { removeNotice, showNotice } from './notices';
import type { Texts } from './text';

const NOTICE = 'fill-zero';

export class FillZero {
  readonly button: HTMLButtonElement;
  private readonly bar: HTMLElement;

  constructor(
    private readonly fields: FormFields,
    private readonly text: Texts,
    /** Called after cells were filled or emptied, as if the clerk had typed. */
    private readonly changed: () => void,
  ) {
    this.button = fields.form.querySelector<HTMLButtonElement>('button[data-fill-zero]') ?? this.createButton();
    this.bar = this.button.parentElement ?? fields.form;
  }

  /** The label counts the blanks now; with none left the button goes away, as on the server's page. */
  update(blanks: number): void {
    const label = this.text.fillZero(blanks);
    if (this.button.textContent !== label) this.button.textContent = label;
    // Removed rather than `hidden`: the stylesheet's .button display would override the attribute.
    if (blanks === 0) this.button.remove();
    else if (!this.button.isConnected) this.place(this.button);
  }

  fill(blanks: HTMLInputElement[]): void {
    if (!blanks.length) return;
    for (const input of blanks) input.value = '0';
    this.changed();
    showNotice(this.bar, { id: NOTICE, kind: 'filled', text: this.text.filled(blanks.length), action: { label: this.text.undo, run: () => this.undo(blanks) } }, 'inside');
  }

  /** The clerk typed on: the offer to undo has served its moment (and the part navigation stays short). */
  dismiss(): void {
    removeNotice(NOTICE);
  }

  private undo(filled: HTMLInputElement[]): void {
    const still = filled.filter((input) => input.value.trim() === '0');
    for (const input of still) input.value = '';
    this.changed();
    showNotice(this.bar, { id: NOTICE, kind: 'saved', text: this.text.undone(still.length) }, 'inside');
  }

  /** The server leaves the button out when nothing was blank; blanks can reappear as the clerk edits. */
  private createButton(): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'submit';
    button.name = 'action';
    button.value = 'fill-zero';
    button.className = 'button button-secondary';
    button.setAttribute('data-fill-zero', '');
    this.place(button);
    return button;
  }

  /** Where the server puts it: at the end of the part navigation. */
  private place(button: HTMLButtonElement): void {
    (this.fields.form.querySelector('[data-part-nav]') ?? this.fields.form).append(button);
  }
}
