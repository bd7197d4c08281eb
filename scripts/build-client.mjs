// Builds the browser script: src/client/form.ts → static/form.js (the default template, gov-2021),
// and src/client/form-<template>.ts → static/form-<template>.js for the older formats, and the
// service worker that keeps the form offline, src/client/sw.ts → static/sw.js. Each is one
// minified ES2020 IIFE: no modules, no eval, so it runs under the strict CSP (script-src 'self').
// And the stylesheets: static/app.css and static/pages.css (the sources, with their comments) →
// static/app.min.css and pages.min.css, the copies pages link (a quarter less over the wire; the
// report form links app.min.css alone: the form page's 25 KB budget, issue 14).
//   node scripts/build-client.mjs      (npm run build:client)
// The files are generated, never committed. wrangler.toml's [build] runs this before every
// `wrangler dev` and `wrangler deploy` — so npm start, npm run dev, the browser tests, the bench,
// npm run build, CI and a deploy all serve a fresh copy — and again when the sources change
// while `wrangler dev` runs.
//
// And the OpenAPI document, static/openapi.json: generated here from the app's own route table
// (src/openapi-document.ts: src/areas/public/openapi.ts over createApp().routes) rather than in the Worker, so the Worker
// carries neither @valibot/to-json-schema nor the generator (5 KB of its bundle, gzipped); it
// serves the file (src/areas/public/routes.ts) and test/worker/openapi.test.ts checks that the
// file served is the document the routes give.
//
// esbuild is the one wrangler itself depends on (same version, resolved from the project root).
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = 'src/client';
export const OUT_DIR = 'static';

/** form.ts, every form-<template>.ts and sw.ts: one bundle each. */
export function clientEntries() {
  return readdirSync(join(root, CLIENT))
    .filter((file) => /^(form(-[a-z0-9-]+)?|sw)\.ts$/.test(file))
    .map((file) => ({ in: `${CLIENT}/${file}`, out: file.replace(/\.ts$/, '') }));
}

/**
 * What may end up in the browser: the client itself and the rule engine it shares with the
 * Worker. Anything else (Hono, drizzle, the store) in a bundle means a careless import pulled
 * server code into every clerk's phone.
 */
const MAY_SHIP = [/^src\/client\//, /^src\/core\//];

/**
 * src/core is pure (its modules only define data and functions), but esbuild cannot know that a
 * template built by function calls at the top of its module has no side effects, and so would
 * keep every template in every bundle. Saying so lets it drop the templates a bundle never uses.
 */
const coreIsPure = {
  name: 'core-is-pure',
  setup(pluginBuild) {
    const core = join(root, 'src/core') + '/';
    pluginBuild.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.coreIsPure) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { coreIsPure: true },
      });
      if (resolved.errors.length || !resolved.path.replaceAll('\\', '/').startsWith(core.replaceAll('\\', '/'))) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

export async function buildClient() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: clientEntries(),
    outdir: OUT_DIR,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    // Chinese as UTF-8 rather than \uXXXX escapes (smaller to parse; /static/*.js is served as UTF-8).
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
    plugins: [coreIsPure],
  });
  const built = [];
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const shipped = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0);
    const stray = shipped.map(([input]) => input.replaceAll('\\', '/')).filter((input) => !MAY_SHIP.some((allowed) => allowed.test(input)));
    if (stray.length) throw new Error(`${path} would contain server code:\n  ${stray.join('\n  ')}`);
    built.push({ path, bytes: output.bytes, inputs: Object.fromEntries(shipped.map(([input, { bytesInOutput }]) => [input, bytesInOutput])) });
  }
  return built;
}

/**
 * The stylesheets without comments and spaces: static/app.css → app.min.css (every page, the
 * report form's only one) and static/pages.css → pages.min.css (every other page).
 */
export const STYLESHEETS = ['app', 'pages'];

export async function buildStylesheet() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: STYLESHEETS.map((name) => ({ in: `${OUT_DIR}/${name}.css`, out: `${name}.min` })),
    outdir: OUT_DIR,
    minify: true,
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
  });
  return Object.entries(result.metafile.outputs).map(([path, { bytes }]) => ({ path, bytes }));
}

export const OPENAPI_FILE = `${OUT_DIR}/openapi.json`;

/** static/openapi.json: the app bundled for Node (packages left to node_modules), asked for its document. */
export async function buildOpenApi() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src/openapi-document.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
    logLevel: 'warning',
  });
  // Inside the project, so the bundle's bare imports (hono, valibot …) resolve from node_modules.
  const dir = join(root, 'node_modules/.cache/nianbao');
  mkdirSync(dir, { recursive: true });
  const module = join(dir, `openapi-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(module, result.outputFiles[0].text);
  const { document } = await import(pathToFileURL(module).href).finally(() => rmSync(module, { force: true }));
  const json = JSON.stringify(document);
  writeFileSync(join(root, OPENAPI_FILE), json);
  return { path: OPENAPI_FILE, bytes: Buffer.byteLength(json) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, bytes } of [...(await buildClient()), ...(await buildStylesheet()), await buildOpenApi()]) console.log(`${path}: ${(bytes / 1024).toFixed(1)} KB`);
}
