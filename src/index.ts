// Worker entry: HTTP requests go to the Hono app, the daily Cron Trigger to scheduled().
import { createApp } from './app';
import { scheduled } from './cron';
import type { Env } from './db/env';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<Env>;
