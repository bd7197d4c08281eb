// The house's floors (README "Layout"): each folder of src/ may import only from its own floor
// and the floors below it, never from above, and the areas never from each other. Checked by
// `npm run check:layers` (part of `npm test`, so CI runs it). No exceptions are listed here:
// what two places need moves down a floor.
//
//   app        src/app.ts, src/index.ts, src/cron.ts: wiring
//   areas      src/areas/<area>/: routes and pages of one area (public, clerk, review, admin, …)
//   http       Hono glue the areas share: AppEnv, errors → responses, input schemas, auth middleware
//   views      hono/jsx rendering: layout, form components, the official table, charts
//   reports    the only code that writes reports; publication (reads for the public) and
//   publication  reminders (the daily run's mail) stand beside it and may read through it
//   reminders
//   mail auth  the outbox and its transports; sessions, sign-in, signed links, roles
//   db         schema, client, bindings
//   core       pure: templates, rules, workflow, schedule, time, i18n (also bundled for browsers)
const FLOORS = [
  ['core', []],
  ['db', ['core']],
  ['mail', ['core', 'db']],
  ['auth', ['core', 'db', 'mail']],
  ['reports', ['core', 'db', 'mail', 'auth']],
  ['publication', ['core', 'db', 'mail', 'auth', 'reports']],
  ['reminders', ['core', 'db', 'mail', 'auth', 'reports']],
  ['views', ['core', 'db', 'mail', 'auth', 'reports', 'publication', 'reminders']],
  ['http', ['core', 'db', 'mail', 'auth', 'reports', 'publication', 'reminders', 'views']],
  ['areas', ['core', 'db', 'mail', 'auth', 'reports', 'publication', 'reminders', 'views', 'http']],
  // The browser script: the pure core and itself, nothing that runs on the server.
  ['client', ['core']],
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...FLOORS.map(([floor, below]) => ({
      name: `${floor}-imports-only-below`,
      comment: `src/${floor} may import from ${below.length ? below.map((f) => `src/${f}`).join(', ') + ' and ' : ''}itself only`,
      severity: 'error',
      from: { path: `^src/${floor}/` },
      to: { path: '^src/', pathNot: `^src/(${[floor, ...below].join('|')})/` },
    })),
    {
      name: 'areas-never-import-each-other',
      comment: 'an area imports only its own folder; what two areas need moves down a floor',
      severity: 'error',
      from: { path: '^src/areas/([^/]+)/' },
      to: { path: '^src/areas/', pathNot: '^src/areas/$1/' },
    },
    {
      name: 'nothing-imports-the-app',
      comment: 'src/app.ts, src/index.ts and src/cron.ts are the top floor: nothing below imports them',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.tsx?$' },
    },
    {
      name: 'no-circular',
      comment: 'no import loops, between floors or inside one',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
