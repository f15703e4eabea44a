import { buildApp } from '../http/app.js';
import { metricsFor } from '../http/metrics/route.js';
import { startBackground } from './background.js';
import { loadConfig, publicOrigin, type Config } from '../config.js';
import { createServices } from '../service/services.js';
import { openStore } from '../store/open-store.js';
import { parseFlags } from './command.js';
import { describeEnsuredKey, ensureOperatorKey, readOperatorKeyFile, type OperatorKeyFile } from './operator-key-file.js';
import { describeDatabase, describePublicUrl, describeTenants } from './serve-banner.js';

/** Migrates, ensures the key file's key, and listens; the store is closed again if any of it fails. */
async function listen(config: Config, keyFile: OperatorKeyFile | undefined) {
  const store = openStore(config);
  try {
    await store.migrate();
    const services = createServices(store);
    const ensuredKey = keyFile === undefined ? undefined : await ensureOperatorKey(services, keyFile);
    const metrics = metricsFor(services);
    const app = await buildApp({ services, metrics, publicUrl: config.publicUrl, trustProxy: config.trustProxy, logLevel: config.logLevel === 'silent' ? false : config.logLevel, ...config.limits });
    await app.listen({ port: config.port, host: config.host });
    return { store, services, metrics, app, ensuredKey };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * `roster serve`: migrations, the deployment's operator key (ROSTER_OPERATOR_KEY_FILE), the
 * demo tenant with --demo, then the HTTP server until SIGTERM/SIGINT.
 */
export async function serveCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    demo: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'public-url': { type: 'string' },
  });
  const config = loadConfig({ port: values.port, host: values.host, dataDir: values['data-dir'], publicUrl: values['public-url'] });
  // Read before anything opens: a deployment whose key file is missing stops here.
  const keyFile = readOperatorKeyFile(process.env);
  const { store, services, metrics, app, ensuredKey } = await listen(config, keyFile);
  // Webhook deliveries and log pruning, stopped before the server on shutdown.
  const background = startBackground(
    services,
    metrics,
    process.env,
    (error) => app.log.error({ err: error }, 'background task failed'),
    (fields, message) => app.log.info(fields, message),
  );
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const origin = publicOrigin(config, port);
  const lines = await describeTenants(services, origin, values.demo === true);
  if (config.publicUrl === undefined) app.log.warn('ROSTER_PUBLIC_URL is not set: cookies are not Secure and links take their origin from the Host header');
  const signIn = ensuredKey === undefined ? 'sign in with a key from `npx roster operator-key create --name me`' : 'sign in with the key in ROSTER_OPERATOR_KEY_FILE';
  process.stdout.write(
    [
      '',
      `Roster is listening on ${config.host}:${port} (${describeDatabase(config)}).`,
      ...lines,
      ...(ensuredKey === undefined ? [] : [describeEnsuredKey(ensuredKey)]),
      ...describePublicUrl(config.publicUrl),
      `Console:        ${origin}/admin   (${signIn})`,
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
