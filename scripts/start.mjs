// npm start: everything a new developer needs, in order, then the app on http://localhost:8787.
//   1. npm install, if node_modules is missing
//   2. .dev.vars from .dev.vars.example, if missing (ENVIRONMENT=development, dev secrets)
//   3. migrations/ applied to the local D1 (.wrangler/state)
//   4. the demo data loaded (idempotent: safe on every start)
//   5. wrangler dev --port 8787
// Uses only Node's standard library (and our scripts), because step 1 may not have happened yet;
// the demo data (which reads src/core's TypeScript through tsx) is loaded after it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWrangler, startWrangler } from './wrangler.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const inRoot = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const PORT = 8787;

function step(message) {
  console.log(`\n▶ ${message}`);
}

if (!existsSync(inRoot('node_modules'))) {
  step('npm install');
  // A shell on Windows, where npm is npm.cmd.
  const install = spawnSync('npm', ['install'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

if (!existsSync(inRoot('.dev.vars'))) {
  step('.dev.vars ← .dev.vars.example (development settings; never commit .dev.vars)');
  copyFileSync(inRoot('.dev.vars.example'), inRoot('.dev.vars'));
}

step('Applying migrations to the local database');
runWrangler(['d1', 'migrations', 'apply', 'DB', '--local']);

const { register } = await import('tsx/esm/api');
register();
const { seedLocalDatabase } = await import('./seed.mjs');
const { demoCycle } = await import('./demo-data.mjs');
step(`Loading the demo data: 定海区 (6 units), 3 people, the ${demoCycle().year} cycle, 金塘镇 2018 published`);
seedLocalDatabase();

step(`Starting the Worker on http://localhost:${PORT}`);
const dev = startWrangler(['dev', '--port', String(PORT)]);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
