// `npm run db:generate` writes a new numbered SQL file into migrations/ after a schema change;
// wrangler (`d1 migrations apply`) and the tests (readD1Migrations) apply those files.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
