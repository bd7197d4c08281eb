// A browser test file's own data, set up through the administration API of the running app
// (ADMIN_TOKEN as server.ts starts it): units, people and cycles of its own, so that no file
// depends on what another one did, whatever order they run in.
import { ADMIN_TOKEN } from './server';

/** PUT to /api/v1/admin{path}; throws unless the app created (201) or updated (200) it. */
export async function adminPut(base: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}/api/v1/admin${path}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT /api/v1/admin${path}: ${res.status} ${await res.text()}`);
}
