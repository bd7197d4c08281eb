// Runs this project's wrangler (node_modules, not a global one) with telemetry and
// Cloudflare's request.cf lookup switched off, so local commands work offline.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url));
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

/**
 * Runs a wrangler command to completion; throws if it fails. `quiet` keeps its standard
 * output to itself unless it fails (d1 execute prints every statement's result).
 */
export function runWrangler(args, { quiet = false } = {}) {
  // stdin ignored: wrangler then takes its non-interactive defaults instead of prompting.
  const stdio = ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, env, stdio, encoding: 'utf8' });
  if (result.status !== 0) {
    if (quiet) process.stdout.write(result.stdout ?? '');
    throw new Error(`wrangler ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

/** Starts a long-running wrangler command (wrangler dev) attached to this terminal. */
export function startWrangler(args) {
  return spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: 'inherit' });
}
