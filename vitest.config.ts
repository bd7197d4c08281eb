import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { demoSeedStatements } from './scripts/seed.mjs';

/**
 * The usual order, except that the browser files run in name order: they share one app and its
 * demo data, and test/browser/review.test.ts reviews the report form.test.ts submits.
 */
class BrowserFilesByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isBrowser = (f: TestSpecification) => f.project.name === 'browser';
    const browser = sorted.filter(isBrowser).sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
    return sorted.map((f) => (isBrowser(f) ? browser.shift()! : f));
  }
}

const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));

export default defineConfig({
  test: {
    sequence: { sequencer: BrowserFilesByName },
    projects: [
      {
        // Pages in Chromium (from @sparticuz/chromium, or CHROMIUM_PATH) at phone size, against
        // `wrangler dev` with its own local D1; also npm run replay against an app of its own.
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
          setupFiles: ['./test/worker/setup.ts'],
        },
      },
    ],
  },
});
