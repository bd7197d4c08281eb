// The service worker (static/sw.js, registered by offline.ts with scope /): the clerk's form page
// without a connection. Pages the server marks as keepable (the signed-in clerk's editable form,
// header Nianbao-Offline: keep) and the static script and CSS go network first, falling back to
// the last copy; nothing else is stored. Signing in or out empties the cache, so nothing of one
// person's reports stays for the next. Saves are not the worker's business: the page queues
// them in localStorage and sends them when the connection returns (autosave.ts).
import { OFFLINE_CACHE, SAVED_COPY } from './offline';

/** A page on a weak signal: after this long, the kept copy now, the network's answer kept for next time. */
const SLOW_MS = 6000;
const FORM_PAGE = /^\/app\/reports\/[^/]+\/\d{4}$/;
const ASSET = /^\/static\/[\w.-]+\.(?:js|css)$/;
const SIGN_IN_OR_OUT = /^\/auth\/(?:verify|logout)$/;

// The DOM lib has no worker types (src/client is typed for pages): what this file uses of them.
interface WorkerEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerFetchEvent extends WorkerEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerMessageEvent extends WorkerEvent {
  data: unknown;
}
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: WorkerEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: WorkerFetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: WorkerMessageEvent) => void): void;
}
const worker = self as unknown as WorkerScope;

worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(activate()));

async function activate(): Promise<void> {
  for (const name of await caches.keys()) if (name !== OFFLINE_CACHE) await caches.delete(name);
  await worker.clients.claim();
}

/** The form page that installed the worker loaded before it ran: it sends its path and files to keep. */
worker.addEventListener('message', (event) => {
  const paths = Array.isArray(event.data) ? event.data.filter((path): path is string => typeof path === 'string' && (FORM_PAGE.test(path) || ASSET.test(path))) : [];
  event.waitUntil(paths.reduce((done, path) => done.then(() => fetchAndKeep(new Request(path), path)).then(() => undefined, () => undefined), Promise.resolve()));
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.method === 'POST' && SIGN_IN_OR_OUT.test(url.pathname)) event.waitUntil(caches.delete(OFFLINE_CACHE));
  else if (request.method !== 'GET') return;
  else if (request.mode === 'navigate' && FORM_PAGE.test(url.pathname)) event.respondWith(networkFirst(event, request, url.pathname));
  else if (ASSET.test(url.pathname)) event.respondWith(networkFirst(event, request, url.pathname));
});

async function networkFirst(event: WorkerFetchEvent, request: Request, key: string): Promise<Response> {
  const network = fetchAndKeep(request, key);
  event.waitUntil(network.catch(() => undefined));
  let slow: ReturnType<typeof setTimeout> | undefined;
  const kept = new Promise<Response | undefined>((resolve) => (slow = setTimeout(() => resolve(caches.match(key, { cacheName: OFFLINE_CACHE })), SLOW_MS)));
  try {
    // The network's answer, unless it is slow and a copy exists.
    const first = await Promise.race([network, kept.then((copy) => copy ?? network)]);
    return first;
  } catch {
    return (await caches.match(key, { cacheName: OFFLINE_CACHE })) ?? Response.error();
  } finally {
    clearTimeout(slow);
  }
}

/**
 * Fetches and keeps what may be kept: a form page the server marks, and the files of a kept page
 * (only while one is kept). A page that may not be kept (signed out, submitted) loses its copy.
 */
async function fetchAndKeep(request: Request, key: string): Promise<Response> {
  const response = await fetch(request);
  const page = FORM_PAGE.test(key);
  const keep = response.ok && (page ? response.headers.get('Nianbao-Offline') === 'keep' : await caches.has(OFFLINE_CACHE));
  if (keep) await (await caches.open(OFFLINE_CACHE)).put(key, response.clone());
  else if (page && (await caches.has(OFFLINE_CACHE))) {
    const cache = await caches.open(OFFLINE_CACHE);
    await Promise.all([cache.delete(key), cache.delete(key + SAVED_COPY)]);
  }
  return response;
}
