// Numeric keyboards on phones have no Tab key: Enter (shown as “next”) moves to the next cell
// instead of submitting the form, and selects its text so a 0 is simply typed over.

export function enterMovesToNextCell(form: HTMLFormElement, cells: HTMLInputElement[]): void {
  cells.forEach((input, i) => (input.enterKeyHint = i === cells.length - 1 ? 'done' : 'next'));
  form.addEventListener('keydown', (event) => {
    const target = event.target;
    // isComposing: Enter that confirms an IME candidate belongs to the IME.
    if (event.key !== 'Enter' || event.isComposing || !(target instanceof HTMLInputElement)) return;
    const at = cells.indexOf(target);
    if (at < 0) return;
    event.preventDefault();
    const next = cells[at + 1];
    if (next) {
      next.focus();
      next.select();
    } else {
      target.blur(); // the last cell: put the keyboard away
    }
  });
}
