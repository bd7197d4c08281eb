// A Word document as a download (the public report's and the clerk's draft's .docx): its media
// type, and a Content-Disposition whose filename is the report's own Chinese title (RFC 6266
// filename* in RFC 5987 encoding) with an ASCII name beside it for clients that read only that.
import type { Context } from 'hono';
import { DOCX_MEDIA_TYPE } from '../core/docx';

/** RFC 5987 attr-char: what encodeURIComponent leaves alone, less ' ( ) * ! (not attr-chars). */
const rfc5987 = (text: string) => encodeURIComponent(text).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

export function wordDownload(c: Context, bytes: Uint8Array<ArrayBuffer>, name: { ascii: string; title: string }): Response {
  c.header('Content-Type', DOCX_MEDIA_TYPE);
  c.header('Content-Disposition', `attachment; filename="${name.ascii}.docx"; filename*=UTF-8''${rfc5987(name.title)}.docx`);
  return c.body(bytes);
}
