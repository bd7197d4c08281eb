// The form page on a weak signal (issue 14): the service worker (sw.ts, /static/sw.js) keeps a
// copy of each form page the clerk opens, so a reload without a connection still shows the form.
// A kept page shows the revision it was fetched at; what the server confirmed since is kept next
// to it (the saved copy), so the form reopens as last saved, with the unsaved input
// (unsaved-store.ts) restored on top. Both live in one cache, which the worker clears on sign-out.

/** The worker's one cache: kept form pages, their saved copies, the form's script and CSS. */
export const OFFLINE_CACHE = 'nianbao-offline-v1';
/** A kept page's saved copy: its path plus this (never a route). */
export const SAVED_COPY = '/saved-copy';

export interface SavedCopy {
  revision: number;
  values: Record<string, string>;
}

/** Installs the worker (scope /: it must also see the sign-out post, to clear the cache). */
export function keepFormOffline(): void {
  const workers = navigator.serviceWorker;
  if (!workers) return;
  const firstVisit = !workers.controller;
  workers.register('/static/sw.js', { scope: '/' }).catch(() => {
    // No worker (private mode, an old browser): the form works as before, online only.
  });
  // This page loaded before the worker ran: hand it the page and its files to keep.
  if (firstVisit) void workers.ready.then((registration) => registration.active?.postMessage([location.pathname, ...pageFiles()]));
}

function pageFiles(): string[] {
  const files = document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[rel="stylesheet"]');
  return [...files].map((file) => new URL(file instanceof HTMLScriptElement ? file.src : file.href).pathname);
}

const copyKey = () => location.pathname + SAVED_COPY;

/** What the server last confirmed, kept beside the page copy (only while the worker keeps pages). */
export function keepSavedCopy(copy: SavedCopy): void {
  if (!self.caches) return;
  const body = JSON.stringify(copy);
  caches
    .has(OFFLINE_CACHE)
    .then(async (kept) => kept && (await caches.open(OFFLINE_CACHE)).put(copyKey(), new Response(body)))
    .catch(() => undefined);
}

/** The saved copy, when this page may have come from the worker's cache. */
export async function savedCopy(): Promise<SavedCopy | null> {
  if (!navigator.serviceWorker?.controller || !self.caches) return null;
  try {
    const copy = (await (await caches.match(copyKey(), { cacheName: OFFLINE_CACHE }))?.json()) as SavedCopy | undefined;
    return typeof copy?.revision === 'number' && typeof copy.values === 'object' ? copy : null;
  } catch {
    return null;
  }
}
