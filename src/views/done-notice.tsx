// What a page says after a change it redirected from (?done=saved): one line, announced politely.
// The pages name their own outcomes; an unknown or absent one says nothing.
import { translator, type Lang } from '../core/i18n';

export function DoneNotice(p: { lang: Lang; messages: Record<string, { zh: string; en: string }>; done: string | undefined }) {
  const message = p.done ? p.messages[p.done] : undefined;
  if (!message) return null;
  return (
    <p class="notice" role="status">
      {translator(p.lang)(message.zh, message.en)}
    </p>
  );
}
