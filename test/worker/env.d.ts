// Types for `env` and `exports` from 'cloudflare:workers' (and the deprecated `env` of
// 'cloudflare:test'), which vitest-pool-workers 0.15 types as Cloudflare.Env / Cloudflare.Exports.
import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../../src/db/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** The SQL of migrations/, read at config time (vitest.config.ts). */
      TEST_MIGRATIONS: D1Migration[];
      /** The demo data statements of scripts/seed.mjs (vitest.config.ts). */
      TEST_DEMO_SEED: string[];
    }
    interface GlobalProps {
      mainModule: typeof import('../../src/index');
    }
  }
}
