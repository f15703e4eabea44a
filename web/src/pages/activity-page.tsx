import { LogPanel } from './activity/log-panel.js';
import { WebhooksPanel } from './activity/webhooks-panel.js';
import type { TenantPageProps } from '../api/tenant-context.js';

/**
 * Activity: the provisioning log for everyone; webhooks and their deliveries for operators
 * (they are the SaaS team's integration, not the customer's).
 */
export function ActivityPage({ context, session }: TenantPageProps) {
  return (
    <>
      <h1>Activity</h1>
      <LogPanel tenantId={context.tenant.id} />
      {session.kind === 'operator' ? <WebhooksPanel tenantId={context.tenant.id} /> : null}
    </>
  );
}
