// Reading a form post, the one way every page does it. Hono's parseBody() throws on a malformed
// multipart body (a TypeError: a 500), reads a missing or foreign content type as no fields at
// all, and decodes invalid UTF-8 into U+FFFD without a word. readForm() refuses each of these
// before the route has looked at anything, so a hostile body is a 4xx in the one error shape (the
// error page, for people) and nothing is written, no link or sign-in token spent.
import type { Context } from 'hono';
import { ApiError } from './errors';

/**
 * The largest form we read. The largest honest one is the report form with every narrative
 * section full (3 × 20,000 characters, 9 bytes each once percent-encoded) and every explanation:
 * about 700 KB.
 */
export const FORM_BODY_LIMIT = 1024 * 1024;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

const mediaType = (c: Context) => (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();

/** Whether the request says it is a form post (either encoding browsers use). */
export const isFormPost = (c: Context) => FORM_TYPES.includes(mediaType(c));

const unreadable = () => new ApiError(400, 'malformed_form', '无法读取提交的表单。', 'The submitted form could not be read.');
const tooLarge = () => new ApiError(413, 'payload_too_large', '提交的内容过大。', 'The submitted form is too large.');
const notAForm = () =>
  new ApiError(415, 'unsupported_media_type', '请以 UTF-8 编码的表单提交。', 'Send the form as a UTF-8 form post (urlencoded or multipart).');

/** Form fields as `name → value`; with `all`, a name that repeats (checkboxes) → every value. */
export type FormFields = Record<string, string>;
export type FormFieldsAll = Record<string, string | string[]>;

/**
 * The fields of a form post. Without `all` the last value of a repeated name wins (as parseBody).
 * A body that is not a UTF-8 form of ours — another content type or charset, more than
 * FORM_BODY_LIMIT bytes, invalid UTF-8, a broken multipart or percent-encoding, a file — is
 * refused with a 415, a 413 or a 400.
 */
export async function readForm(c: Context): Promise<FormFields>;
export async function readForm(c: Context, options: { all: true }): Promise<FormFieldsAll>;
export async function readForm(c: Context, options: { all?: boolean } = {}): Promise<FormFields | FormFieldsAll> {
  const contentType = c.req.header('Content-Type') ?? '';
  if (!isFormPost(c)) throw notAForm();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw notAForm();
  // A declared length too large is refused unread; a body without one is measured once read
  // (the platform caps every request body, far above this).
  if (Number(c.req.header('Content-Length') ?? 0) > FORM_BODY_LIMIT) throw tooLarge();
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > FORM_BODY_LIMIT) throw tooLarge();

  let entries: [string, string][];
  try {
    // Our forms send text only, so the whole body must be UTF-8 (fatal: no silent U+FFFD).
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    entries = mediaType(c) === 'multipart/form-data' ? await multipartEntries(bytes, contentType) : urlencodedEntries(text);
  } catch {
    throw unreadable();
  }

  const fields: FormFieldsAll = Object.create(null);
  for (const [name, value] of entries) {
    const previous = fields[name];
    fields[name] = options.all && previous !== undefined ? [previous, value].flat() : value;
  }
  return fields;
}

/** application/x-www-form-urlencoded, strictly: a stray '%' or percent-encoded invalid UTF-8 throws (URIError). */
function urlencodedEntries(text: string): [string, string][] {
  const decode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
  return text
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
    });
}

/** multipart/form-data through the platform's parser (it throws on a broken body); a file is refused. */
async function multipartEntries(bytes: ArrayBuffer, contentType: string): Promise<[string, string][]> {
  const form = await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData();
  return [...form.entries()].map(([name, value]) => {
    if (typeof value !== 'string') throw new TypeError('a file in a form of text fields');
    return [name, value];
  });
}
