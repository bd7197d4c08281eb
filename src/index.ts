// Worker entry: HTTP requests go to the Hono app, the Cron Triggers to scheduled(), the mail,
// daily and dead-letter queues' batches to queue() (src/cron.ts).
import { createApp } from './app';
import { queue, scheduled } from './cron';
import type { Env } from './db/env';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
