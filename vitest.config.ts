import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { demoSeedStatements } from './scripts/seed.mjs';

const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));

export default defineConfig({
  test: {
    projects: [
      {
        // Pages in Chromium (from @sparticuz/chromium, or CHROMIUM_PATH) at phone size, against
        // `wrangler dev` with its own local D1; also npm run replay against an app of its own.
        // Each file sets up the data it changes (units, people, cycles of its own through the
        // admin API), so the files run alone or in any order.
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['./test/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One app, one browser: files take turns rather than compete for two cores.
          fileParallelism: false,
        },
      },
      {
        // Pure code (src/core, helpers) in plain Node: fast, no Worker runtime.
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        // Requests through the real Worker in workerd, against a local D1 migrated by setup.ts.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ENVIRONMENT: 'test',
                ADMIN_TOKEN: 'test-admin-token',
                // Fixed here so tests never depend on a developer's .dev.vars.
                LINK_SECRET: 'test-link-secret',
                SESSION_SECRET: 'test-session-secret',
                TEST_MIGRATIONS: migrations,
                // The SQL `npm start` loads, so the tests prove it against the real schema.
                TEST_DEMO_SEED: demoSeedStatements(),
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          // A budget, not a measure: the role matrix sends dozens of requests per case, and on a
          // busy machine (CI, or tests side by side) that outlasts vitest's 5 s default.
          testTimeout: 30_000,
          setupFiles: ['./test/worker/setup.ts'],
        },
      },
    ],
  },
});
