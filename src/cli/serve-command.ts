import { buildApp } from '../http/app.js';
import { metricsFor } from '../http/metrics/route.js';
import { startBackground } from './background.js';
import { loadConfig, publicOrigin } from '../config.js';
import { createServices, type Services } from '../service/services.js';
import { openStore } from '../store/open-store.js';
import { parseFlags } from './command.js';
import { scimBaseUrl } from './runtime.js';
import { setupLinkUrl } from './setup-link-command.js';

const DEMO_TENANT = 'Demo';

/** On the first start, a demo tenant and its token, so that a new user can try SCIM at once. */
async function describeDemoTenant(services: Services, baseUrlOf: (id: string) => string, origin: string): Promise<string[]> {
  const tenants = await services.tenants.list();
  if (tenants.length > 0) {
    const first = tenants[0];
    const lines = [`Tenants:        ${tenants.length} (first: "${first?.name}", ${first?.id})`];
    if (first !== undefined) {
      lines.push(`SCIM base URL:  ${baseUrlOf(first.id)}`);
      lines.push(`New token:      npx roster token create --tenant ${first.id} --name my-idp`);
    }
    return lines;
  }
  const tenant = await services.tenants.create(DEMO_TENANT);
  const issued = await services.tokens.issue(tenant.id, { name: 'demo' });
  const link = await services.setupLinks.create(tenant.id, { note: 'printed by roster serve' });
  return [
    `Created tenant "${tenant.name}" (${tenant.id}).`,
    `SCIM base URL:  ${baseUrlOf(tenant.id)}`,
    `Token:          ${issued.secret}`,
    '                (shown once: store it now; `roster token create` makes more)',
    `Setup link:     ${setupLinkUrl(origin, link.secret)}`,
    '                (opens the Demo tenant in the admin console for 72 hours)',
  ];
}

/** Where the data lives, for the start-up banner; a PostgreSQL password is never printed. */
function describeDatabase(config: { dataDir: string; databaseUrl: string | undefined }): string {
  if (config.databaseUrl === undefined) return `SQLite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** `roster serve`: migrations, the demo tenant, then the HTTP server until SIGTERM/SIGINT. */
export async function serveCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'public-url': { type: 'string' },
  });
  const config = loadConfig({ port: values.port, host: values.host, dataDir: values['data-dir'], publicUrl: values['public-url'] });
  const store = openStore(config);
  await store.migrate();
  const services = createServices(store);
  const metrics = metricsFor(services);
  const app = await buildApp({ services, metrics, publicUrl: config.publicUrl, logLevel: config.logLevel === 'silent' ? false : config.logLevel, ...config.limits });
  await app.listen({ port: config.port, host: config.host });
  // Webhook deliveries and log pruning, stopped before the server on shutdown.
  const background = startBackground(services, metrics, process.env, (error) => app.log.error({ err: error }, 'background task failed'));
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const origin = publicOrigin(config, port);
  const lines = await describeDemoTenant(services, (id) => scimBaseUrl(origin, id), origin);
  process.stdout.write(
    [
      '',
      `Roster is listening on ${config.host}:${port} (${describeDatabase(config)}).`,
      ...lines,
      `Console:        ${origin}/admin   (sign in with a key from \`npx roster operator-key create --name me\`)`,
      `Health:         ${origin}/healthz`,
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // Stop accepting connections, let requests in flight finish, then close the database.
    void background
      .stop()
      .then(() => app.close())
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
