import { output, parseFlags, required, UsageError } from './command.js';
import { withServices } from './runtime.js';

/** `roster operator-key create|list|revoke`: keys for the management API. */
export async function operatorKeyCommand(argv: readonly string[]): Promise<void> {
  const [action, ...rest] = argv;
  switch (action) {
    case 'create': {
      const { values } = parseFlags(rest, { name: { type: 'string' }, json: { type: 'boolean' } });
      const name = required(values.name, 'name');
      await withServices(async (services) => {
        const { key, secret } = await services.operatorKeys.create(name);
        output(values.json === true, { id: key.id, key: secret }, `Operator key ${key.id} ("${key.name}"): ${secret}\nThe key is shown once; store it now.`);
      });
      return;
    }
    case 'list': {
      const { values } = parseFlags(rest, { json: { type: 'boolean' } });
      await withServices(async (services) => {
        const keys = await services.operatorKeys.list();
        const text = keys.length === 0 ? 'No operator keys.' : keys.map((k) => `${k.id}  ${k.name}  ${k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`}`).join('\n');
        output(values.json === true, keys, text);
      });
      return;
    }
    case 'revoke': {
      const { values, positionals } = parseFlags(rest, { json: { type: 'boolean' } }, 1);
      const id = positionals[0];
      if (id === undefined) throw new UsageError('Missing KEY_ID.');
      await withServices(async (services) => {
        await services.operatorKeys.revoke(id);
        output(values.json === true, { id, revoked: true }, `Revoked operator key ${id}.`);
      });
      return;
    }
    default:
      throw new UsageError(action === undefined ? 'Missing operator-key action.' : `Unknown operator-key action "${action}".`);
  }
}
