/**
 * ROSTER_WEBHOOK_ALLOW_PRIVATE (docs/operations.md): `true` lets webhook URLs reach loopback,
 * private, link-local and other non-public addresses, for development and tests; unset or
 * `false` refuses them, at registration and at every connection. Another value stops the start.
 */
export function allowPrivateWebhookTargets(env: NodeJS.ProcessEnv = process.env): boolean {
  const text = (env.ROSTER_WEBHOOK_ALLOW_PRIVATE ?? '').trim().toLowerCase();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  throw new Error(`Invalid ROSTER_WEBHOOK_ALLOW_PRIVATE "${env.ROSTER_WEBHOOK_ALLOW_PRIVATE ?? ''}": use true or false.`);
}
