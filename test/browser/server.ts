// The real app for browser tests: `wrangler dev` (workerd, the production bundle's code) on a
// free local port, with a local D1 of its own, migrated and loaded with the demo data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedLocalDatabase } from '../../scripts/seed.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wranglerBin = join(root, 'node_modules/wrangler/bin/wrangler.js');
const quietEnv = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: 'true' };

export const ADMIN_TOKEN = 'browser-test-admin-token';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer within 90 s:\n${log()}`);
}

export interface RunningApp {
  url: string;
  /** The local D1's folder (wrangler d1 execute --local --persist-to), until stop(). */
  persistTo: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** SQL files run against the app's database after the demo data, before it starts (npm run bench). */
  sqlFiles?: string[];
}

export async function startApp({ sqlFiles = [] }: StartOptions = {}): Promise<RunningApp> {
  const persistTo = mkdtempSync(join(tmpdir(), 'nianbao-browser-'));
  const migrate = spawnSync(process.execPath, [wranglerBin, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
    cwd: root,
    env: quietEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  seedLocalDatabase({ persistTo });
  for (const file of sqlFiles) {
    const load = spawnSync(process.execPath, [wranglerBin, 'd1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file], {
      cwd: root,
      env: quietEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (load.status !== 0) throw new Error(`loading ${file} failed:\n${load.stdout.slice(-2000)}\n${load.stderr.slice(-2000)}`);
  }

  const [port, inspectorPort] = [await freePort(), await freePort()];
  let output = '';
  const child = spawn(
    process.execPath,
    [
      wranglerBin, 'dev',
      '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
      '--persist-to', persistTo,
      // Development mode (capture mailbox at /dev/mail) whatever the developer's .dev.vars says.
      '--var', 'ENVIRONMENT:development', '--var', `ADMIN_TOKEN:${ADMIN_TOKEN}`, '--var', 'MAIL_TRANSPORT:capture',
      // Signs the approval links in mail (a clean clone has no .dev.vars).
      '--var', 'LINK_SECRET:browser-test-link-secret',
    ],
    { cwd: root, env: quietEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);
  return {
    url,
    persistTo,
    async stop() {
      if (child.exitCode === null) {
        process.kill(-child.pid!, 'SIGTERM'); // the whole group: wrangler and its workerd
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
