// The layers of docs/architecture.md and the ban on import cycles, checked by `npm run lint`
// (depcruise) and tried out by test/lint/layers.test.ts. Type-only imports count as well:
// a cycle of types is still two modules that cannot be read one without the other.

/** Inner to outer: each layer may import only the layers before it (and itself). */
const LAYERS = ['schema', 'scim', 'store', 'policy', 'service', 'http', 'cli'];
/** What each layer never imports besides the layers outside it (docs/architecture.md). */
const NEVER = {
  schema: { modules: [], builtins: true, why: 'the schema registry does no I/O' },
  scim: { modules: [], builtins: true, why: 'the SCIM core does no I/O' },
  store: { modules: ['^fastify'], why: 'engines know nothing of Fastify' },
  policy: { modules: ['^fastify'], why: 'the policies know nothing of HTTP' },
  service: { modules: ['^fastify'], why: 'the service layer knows nothing of HTTP' },
  http: { modules: ['^src/store/sql/', '^(kysely|pg|better-sqlite3)$'], why: 'HTTP knows no SQL' },
  cli: { modules: ['^src/store/sql/', '^(kysely|pg|better-sqlite3)$'], why: 'the CLI knows no SQL' },
};

const layerRules = LAYERS.flatMap((layer, index) => {
  const outer = LAYERS.slice(index + 1);
  const never = NEVER[layer];
  return [
    ...(outer.length === 0
      ? []
      : [{
          name: `${layer}-not-upward`,
          comment: `src/${layer}/ may not import ${outer.join(', ')} (docs/architecture.md)`,
          severity: 'error',
          from: { path: `^src/${layer}/` },
          to: { path: `^src/(${outer.join('|')})/` },
        }]),
    ...(never.modules.length === 0
      ? []
      : [{
          name: `${layer}-never`,
          comment: `src/${layer}/: ${never.why}`,
          severity: 'error',
          from: { path: `^src/${layer}/` },
          to: { path: never.modules },
        }]),
    ...(never.builtins === true
      ? [{ name: `${layer}-no-io`, comment: `src/${layer}/: ${never.why}`, severity: 'error', from: { path: `^src/${layer}/` }, to: { dependencyTypes: ['core'] } }]
      : []),
  ];
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    {
      name: 'config-is-a-leaf',
      comment: 'src/config*.ts read the environment and src/limits.ts declares the limits; the layers read them, never the other way round',
      severity: 'error',
      from: { path: '^src/(config[^/]*|limits)[.]ts$' },
      to: { path: `^src/(${LAYERS.join('|')})/` },
    },
    {
      name: 'migrations-frozen',
      comment: 'a migration imports only its types module and Kysely: live code changes, a migration must not',
      severity: 'error',
      from: { path: '^src/store/sql/migrations/' },
      to: { pathNot: ['^src/store/sql/migrations/', '^kysely$', 'node_modules/kysely/'] },
    },
    {
      name: 'console-over-the-api',
      comment: 'the console (web/) uses the management API only, never Roster\'s source',
      severity: 'error',
      from: { path: '^web/' },
      // Except the settings type (next rule), so the console and the server share one
      // definition of tenant settings.
      to: { path: '^src/', pathNot: '^src/policy/settings-schema[.]ts$' },
    },
    {
      name: 'console-settings-type-only',
      comment: 'the console imports the settings type only, which the bundle erases',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/policy/settings-schema[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-api-types-only',
      comment: 'the console takes the API\'s generated types from the client package, types only',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^packages/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-shares-webhook-signature-only',
      comment: 'the client package (packages/client) shares the webhook signature module with the server, and nothing else of src/',
      severity: 'error',
      from: { path: '^packages/client/' },
      to: { path: '^src/', pathNot: '^src/service/webhooks/signature[.]ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'modules import each other in one direction only, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
