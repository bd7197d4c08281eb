// Short messages the script adds to the page (「已恢复上次未保存的输入」, 「已将 N 个空白填为 0。撤销」),
// styled like the server's notices. Each has an id: showing it again replaces the old one.

export interface NoticeAction {
  label: string;
  run(): void;
}

export interface Notice {
  id: string;
  /** info: nothing went wrong, the clerk should know (e.g. input restored). */
  kind: 'saved' | 'filled' | 'conflict' | 'error' | 'info';
  text: string;
  action?: NoticeAction;
}

/** Shows the notice just before `anchor`, or as the first thing inside it. */
export function showNotice(anchor: Element, notice: Notice, place: 'before' | 'inside' = 'before'): HTMLElement {
  removeNotice(notice.id);
  const box = document.createElement('div');
  box.className = `notice notice-${notice.kind}`;
  box.setAttribute('role', 'status');
  box.dataset.clientNotice = notice.id;
  box.append(notice.text);
  if (notice.action) {
    const { label, run } = notice.action;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button';
    button.textContent = label;
    button.addEventListener('click', run);
    box.append(' ', button);
  }
  if (place === 'inside') anchor.prepend(box);
  else anchor.before(box);
  return box;
}

export function removeNotice(id: string): void {
  document.querySelector(`[data-client-notice="${id}"]`)?.remove();
}
