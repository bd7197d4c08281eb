// The line under the form that says whether the clerk's work is safe on the server
// ([data-save-state], aria-live): data-state lets styles and tests tell the states apart.

export type SaveStateKind = 'saved' | 'saving' | 'offline' | 'error';

export class SaveState {
  constructor(private readonly element: HTMLElement | null) {}

  get kind(): SaveStateKind | undefined {
    return this.element?.dataset.state as SaveStateKind | undefined;
  }

  show(kind: SaveStateKind, text: string): void {
    if (!this.element) return;
    this.element.dataset.state = kind;
    // Rewriting the same text would make screen readers announce it again.
    if (this.element.textContent !== text) this.element.textContent = text;
  }
}
