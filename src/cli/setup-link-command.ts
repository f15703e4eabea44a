import { publicOrigin } from '../config.js';
import { output, parseFlags, required, UsageError } from './command.js';
import { withServices } from './runtime.js';

/** The console URL a setup link secret opens; the secret rides in the fragment, never sent to a server. */
export function setupLinkUrl(origin: string, secret: string): string {
  return `${origin}/admin/setup#token=${secret}`;
}

/** `roster setup-link create|list|revoke`: one tenant's way into the admin console. */
export async function setupLinkCommand(argv: readonly string[]): Promise<void> {
  const [action, ...rest] = argv;
  switch (action) {
    case 'create': {
      const { values } = parseFlags(rest, { tenant: { type: 'string' }, 'expires-in-hours': { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' } });
      const tenantId = required(values.tenant, 'tenant');
      const hours = values['expires-in-hours'] === undefined ? undefined : Number(values['expires-in-hours']);
      if (hours !== undefined && !(hours > 0)) throw new UsageError('--expires-in-hours takes a positive number.');
      await withServices(async (services, config) => {
        const { link, secret } = await services.setupLinks.create(tenantId, { expiresInSeconds: hours === undefined ? undefined : Math.round(hours * 3600), note: values.note });
        const url = setupLinkUrl(publicOrigin(config), secret);
        output(values.json === true, { id: link.id, url, expiresAt: link.expiresAt }, `Setup link ${link.id} (expires ${link.expiresAt}):\n${url}\nThe link is shown once; hand it to the tenant's IT admin.`);
      });
      return;
    }
    case 'list': {
      const { values } = parseFlags(rest, { tenant: { type: 'string' }, json: { type: 'boolean' } });
      const tenantId = required(values.tenant, 'tenant');
      await withServices(async (services) => {
        const links = await services.setupLinks.list(tenantId);
        const state = (l: (typeof links)[number]): string => (l.revokedAt !== null ? `revoked ${l.revokedAt}` : `expires ${l.expiresAt}`);
        output(values.json === true, links, links.length === 0 ? 'No setup links.' : links.map((l) => `${l.id}  ${state(l)}  ${l.note}`).join('\n'));
      });
      return;
    }
    case 'revoke': {
      const { values, positionals } = parseFlags(rest, { tenant: { type: 'string' }, json: { type: 'boolean' } }, 1);
      const tenantId = required(values.tenant, 'tenant');
      const id = positionals[0];
      if (id === undefined) throw new UsageError('Missing LINK_ID.');
      await withServices(async (services) => {
        await services.setupLinks.revoke(tenantId, id);
        output(values.json === true, { id, revoked: true }, `Revoked setup link ${id}.`);
      });
      return;
    }
    default:
      throw new UsageError(action === undefined ? 'Missing setup-link action.' : `Unknown setup-link action "${action}".`);
  }
}
