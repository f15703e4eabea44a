import { output, parseFlags, required, UsageError } from './command.js';
import { withServices } from './runtime.js';

function expiryFrom(days: string | undefined): string | null {
  if (days === undefined) return null;
  const count = Number(days);
  if (!Number.isFinite(count) || count <= 0) throw new UsageError(`--expires-in-days must be a positive number, got "${days}".`);
  return new Date(Date.now() + count * 86_400_000).toISOString();
}

/** `roster token create|list|revoke`. */
export async function tokenCommand(argv: readonly string[]): Promise<void> {
  const [action, ...rest] = argv;
  switch (action) {
    case 'create': {
      const { values } = parseFlags(rest, {
        tenant: { type: 'string' },
        name: { type: 'string' },
        'expires-in-days': { type: 'string' },
        json: { type: 'boolean' },
      });
      const tenantId = required(values.tenant, 'tenant');
      const name = required(values.name, 'name');
      const expiresAt = expiryFrom(values['expires-in-days']);
      await withServices(async (services) => {
        const issued = await services.tokens.issue(tenantId, { name, expiresAt });
        output(values.json === true, { id: issued.token.id, token: issued.secret }, `Token ${issued.token.id} ("${name}"): ${issued.secret}\nThe token is shown once; store it now.`);
      });
      return;
    }
    case 'list': {
      const { values } = parseFlags(rest, { tenant: { type: 'string' }, json: { type: 'boolean' } });
      const tenantId = required(values.tenant, 'tenant');
      await withServices(async (services) => {
        const tokens = await services.tokens.list(tenantId);
        const text = tokens.length === 0
          ? 'No tokens.'
          : tokens.map((t) => `${t.id}  ${t.name}  created ${t.createdAt}  ${t.revokedAt === null ? `last used ${t.lastUsedAt ?? 'never'}` : `revoked ${t.revokedAt}`}`).join('\n');
        output(values.json === true, tokens, text);
      });
      return;
    }
    case 'revoke': {
      const { values, positionals } = parseFlags(rest, { tenant: { type: 'string' }, json: { type: 'boolean' } }, 1);
      const tenantId = required(values.tenant, 'tenant');
      const tokenId = positionals[0];
      if (tokenId === undefined) throw new UsageError('Missing TOKEN_ID.');
      await withServices(async (services) => {
        await services.tokens.revoke(tenantId, tokenId);
        output(values.json === true, { id: tokenId, revoked: true }, `Revoked token ${tokenId}.`);
      });
      return;
    }
    default:
      throw new UsageError(action === undefined ? 'Missing token action.' : `Unknown token action "${action}".`);
  }
}
