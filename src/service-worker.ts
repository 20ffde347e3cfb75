/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { isOfflinePage, markSaved } from '$lib/offline/saved-page';

/**
 * The phone page must open again on flaky venue wifi: the app shell and static files are cached at
 * install, pages are fetched fresh with a saved copy as fallback, and the API is never cached
 * (votes and theses wait in the outbox instead). A saved copy carries the time it was saved, so the
 * page knows it is not live.
 */
const worker = self as unknown as ServiceWorkerGlobalScope;
const cacheName = `kennisdag-${version}`;
const shell = [...build, ...files];

worker.addEventListener('install', (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(shell)).then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== cacheName).map((key) => caches.delete(key))))
      .then(() => worker.clients.claim())
  );
});

async function save(request: Request, response: Response) {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  const copy = new Response(markSaved(await response.text(), new Date()), { status: response.status, statusText: response.statusText, headers });
  await (await caches.open(cacheName)).put(request, copy);
}

// A page reached within the app (the join form leads to the phone page without a page load): the
// page asks for it to be saved.
worker.addEventListener('message', (event) => {
  const pathname = (event.data as { type?: string; pathname?: unknown } | null)?.type === 'keep-page' ? event.data.pathname : null;
  if (typeof pathname !== 'string' || !isOfflinePage(pathname)) return;
  const request = new Request(new URL(pathname, worker.location.origin), { credentials: 'same-origin' });
  event.waitUntil(
    fetch(request)
      // A page that sends the phone elsewhere (signed out: to the start page) is not that page.
      .then((response) => (response.ok && !response.redirected && response.headers.get('content-type')?.startsWith('text/html') ? save(request, response) : undefined))
      .catch(() => undefined)
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin || url.pathname.startsWith('/api/')) return;

  if (shell.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
    return;
  }
  if (request.mode === 'navigate' && isOfflinePage(url.pathname)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) event.waitUntil(save(request, response.clone()));
          return response;
        })
        .catch(async () => (await caches.match(request, { ignoreVary: true })) ?? Response.error())
    );
  }
});
