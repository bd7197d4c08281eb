// The developer's mailbox. In development the capture transport sends nothing, so the outbox
// table itself is the mailbox: these routes only read it. Mounted at /dev behind a guard in
// src/app.ts that answers 404 unless ENVIRONMENT is 'development'.
import { Hono } from 'hono';
import { beijingRfc3339 } from '../../core/time';
import type { OutboxMessage } from '../../db/schema';
import type { AppEnv } from '../../http/app-env';
import { newestMessages } from '../../mail/outbox';
import { DevMailPage } from './mail-page';

/** Enough for a development session; older messages stay in the table. */
const SHOWN_MESSAGES = 200;

/** One message of GET /dev/mail.json (api.md, plus status and kind). */
const asJson = (m: OutboxMessage) => ({
  id: m.id,
  to: m.toAddress,
  subject: m.subject,
  text: m.textBody,
  html: m.htmlBody,
  created_at: beijingRfc3339(m.createdAt),
  status: m.status,
  kind: m.kind,
});

/** GET /dev/mail, /dev/mail.json (ENVIRONMENT=development only). */
export const devMailRoutes = new Hono<AppEnv>();

// Mail holds live sign-in links: never let a cache keep a copy.
devMailRoutes.use(async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});

devMailRoutes.get('/mail', async (c) =>
  c.html(<DevMailPage messages={await newestMessages(c.get('db'), SHOWN_MESSAGES)} limit={SHOWN_MESSAGES} />),
);

devMailRoutes.get('/mail.json', async (c) => c.json({ messages: (await newestMessages(c.get('db'), SHOWN_MESSAGES)).map(asJson) }));
