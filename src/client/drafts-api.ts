// PUT /api/v1/drafts/{unit}/{year} (../shared/spec/api.md), every answer turned into what the
// autosave does next. A phone on a bad connection may never answer: a request that takes too
// long counts as offline and is retried (the server tells a repeat from a new save by revision).
import type { Issue } from '../core';
import type { DraftContent } from './values';

export interface ServerDraft extends DraftContent {
  status?: string;
  revision: number;
}

export type SaveOutcome =
  | { kind: 'saved'; revision: number; issues: Issue[] }
  /** Someone saved since our base revision: the server's current content. */
  | { kind: 'stale'; current: ServerDraft }
  /** No answer: offline, or too slow. */
  | { kind: 'offline' }
  /** 5xx or 429: try again later. */
  | { kind: 'retry'; status: number }
  | { kind: 'signed-out' }
  | { kind: 'not-editable'; message: string }
  /** The server refused the content (422, 400): retrying the same body will not help. */
  | { kind: 'rejected'; message: string };

const TIMEOUT_MS = 20_000;

/** `leaving`: the page is being hidden or unloaded; let the request outlive it. */
export async function putDraft(url: string, revision: number, patch: DraftContent, leaving = false): Promise<SaveOutcome> {
  const body = JSON.stringify({ revision, ...patch });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      body,
      // Browsers cap keepalive bodies at 64 KB; a bigger one is simply sent again on the next visit.
      keepalive: leaving && body.length < 60_000,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { kind: 'offline' };
  }
  const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  const message = errorMessage(json) ?? `HTTP ${response.status}`;
  if (response.ok && json && typeof json.revision === 'number') {
    return { kind: 'saved', revision: json.revision, issues: Array.isArray(json.issues) ? json.issues.map(asIssue) : [] };
  }
  if (response.status === 409 && isDraft(json?.current)) return { kind: 'stale', current: json.current };
  if (response.status === 401) return { kind: 'signed-out' };
  if (response.status === 403) return { kind: 'not-editable', message };
  if (response.status >= 500 || response.status === 429 || response.status === 409 || response.ok) return { kind: 'retry', status: response.status };
  return { kind: 'rejected', message };
}

/** The API sends each message in the request's language only; the client keeps both slots. */
function asIssue(issue: Omit<Issue, 'message'> & { message: Issue['message'] | string }): Issue {
  const { message } = issue;
  return { ...issue, message: typeof message === 'string' ? { zh: message, en: message } : message };
}

function errorMessage(json: Record<string, unknown> | null): string | undefined {
  const error = json?.error as { message?: unknown; details?: { message?: unknown }[] } | undefined;
  if (typeof error?.message !== 'string') return undefined;
  const details = (error.details ?? []).map((d) => d.message).filter((m): m is string => typeof m === 'string');
  return [error.message, ...details].join(' ');
}

function isDraft(value: unknown): value is ServerDraft {
  return typeof value === 'object' && value !== null && typeof (value as ServerDraft).revision === 'number';
}
