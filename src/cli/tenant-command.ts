import { output, parseFlags, required, UsageError } from './command.js';
import { publicOrigin } from '../config.js';
import { scimBaseUrl, withServices } from './runtime.js';
import { settingsPatchOf, settingsText } from './tenant-update.js';

/** `roster tenant create|list|show|update|delete`. */
export async function tenantCommand(argv: readonly string[]): Promise<void> {
  const [action, ...rest] = argv;
  switch (action) {
    case 'create': {
      const { values } = parseFlags(rest, { name: { type: 'string' }, 'external-id': { type: 'string' }, 'scim-disabled': { type: 'boolean' }, json: { type: 'boolean' } });
      const name = required(values.name, 'name');
      const externalId = values['external-id'];
      await withServices(async (services, config) => {
        const tenant = await services.tenants.create(name, { ...(externalId === undefined ? {} : { externalId }), ...(values['scim-disabled'] === true ? { scimEnabled: false } : {}) });
        // A tenant created with SCIM off gets no token (none can be issued until SCIM is on): `token` is null.
        const issued = tenant.settings.scimEnabled ? await services.tokens.issue(tenant.id, { name: 'default' }) : undefined;
        const secret = issued?.secret ?? null;
        // The JSON keeps its keys; externalId is added only when one was given.
        const result = { id: tenant.id, name: tenant.name, ...(externalId === undefined ? {} : { externalId }), scimBaseUrl: scimBaseUrl(publicOrigin(config), tenant.id), token: secret };
        output(values.json === true, result, [
          `Created tenant "${tenant.name}" (${tenant.id}).`,
          `SCIM base URL: ${result.scimBaseUrl}`,
          ...(secret === null
            ? ['SCIM is off: enable it (tenant update ID --set scimEnabled=true), then create a token.']
            : [`Token:         ${secret}`, 'The token is shown once; store it now.']),
        ].join('\n'));
      });
      return;
    }
    case 'list': {
      const { values } = parseFlags(rest, { 'external-id': { type: 'string' }, json: { type: 'boolean' } });
      const externalId = values['external-id'];
      await withServices(async (services, config) => {
        const tenants = await services.tenants.list(externalId === undefined ? {} : { externalId });
        const rows = tenants.map((tenant) => ({
          id: tenant.id,
          name: tenant.name,
          createdAt: tenant.createdAt,
          scimBaseUrl: scimBaseUrl(publicOrigin(config), tenant.id),
          ...(tenant.externalId === null ? {} : { externalId: tenant.externalId }),
        }));
        output(values.json === true, rows, rows.length === 0 ? 'No tenants.' : rows.map((row) => `${row.id}  ${row.name}`).join('\n'));
      });
      return;
    }
    case 'show':
    case 'update': {
      // `show ID` prints the settings; `update ID --set key=value …` changes them first (docs/policies.md).
      const { values, positionals } = parseFlags(rest, { name: { type: 'string' }, set: { type: 'string', multiple: true }, json: { type: 'boolean' } }, 1);
      const tenantId = positionals[0];
      if (tenantId === undefined) throw new UsageError('Missing tenant ID.');
      const patch = settingsPatchOf(values.set ?? []);
      if (action === 'show' && (values.name !== undefined || values.set !== undefined)) throw new UsageError('tenant show takes no --set or --name; use tenant update.');
      if (action === 'update' && values.name === undefined && Object.keys(patch).length === 0) throw new UsageError('Nothing to update: give --set key=value or --name.');
      await withServices(async (services) => {
        if (action === 'update' && values.name !== undefined) await services.tenants.rename(tenantId, values.name);
        const settings = action === 'update' && Object.keys(patch).length > 0 ? await services.settings.update(tenantId, patch) : await services.settings.get(tenantId);
        output(values.json === true, settings, settingsText(settings));
      });
      return;
    }
    case 'delete': {
      const { values, positionals } = parseFlags(rest, { json: { type: 'boolean' } }, 1);
      const tenantId = positionals[0];
      if (tenantId === undefined) throw new UsageError('Missing tenant ID.');
      await withServices(async (services) => {
        await services.tenants.delete(tenantId);
        output(values.json === true, { id: tenantId, deleted: true }, `Deleted tenant ${tenantId}; roster serve purges its data in the background.`);
      });
      return;
    }
    default:
      throw new UsageError(action === undefined ? 'Missing tenant action.' : `Unknown tenant action "${action}".`);
  }
}
