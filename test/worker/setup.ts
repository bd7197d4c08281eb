// Runs before each worker test file: bring the file's D1 up to the current schema.
//
// Storage is isolated per file (vitest-pool-workers 0.13+ starts a runtime per test file, its D1
// in a temporary folder of its own): every file starts from an empty database, so there is
// nothing to migrate once and share, and nothing to skip. Migrating takes ~10 ms. The SQL of
// migrations/ is applied here directly, not with applyD1Migrations: importing 'cloudflare:test'
// also imports the whole Worker (its `main`), ~0.8 s that the files testing one module never
// needed; files that send requests load it on their first one anyway.
import { env } from 'cloudflare:workers';

for (const migration of env.TEST_MIGRATIONS) {
  // One migration, one batch: D1 runs a batch as one transaction.
  await env.DB.batch(migration.queries.map((sql) => env.DB.prepare(sql)));
}
