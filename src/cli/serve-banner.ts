import type { Services } from '../service/services.js';
import { scimBaseUrl } from './runtime.js';
import { setupLinkUrl } from './setup-link-command.js';

const DEMO_TENANT = 'Demo';

/**
 * The banner's lines about tenants. With `demo` (`roster serve --demo`, which `npm start`
 * runs) and no tenant yet, it creates a demo tenant with a token and a setup link, so that a
 * new user can try SCIM and the console at once; without it, an empty database stays empty:
 * a production start must not mint a live, non-expiring token and print it.
 */
export async function describeTenants(services: Services, origin: string, demo: boolean): Promise<string[]> {
  const tenants = await services.tenants.list();
  const first = tenants[0];
  if (first !== undefined) {
    return [
      `Tenants:        ${tenants.length} (first: "${first.name}", ${first.id})`,
      `SCIM base URL:  ${scimBaseUrl(origin, first.id)}`,
      `New token:      npx roster token create --tenant ${first.id} --name my-idp`,
    ];
  }
  if (!demo) return ['Tenants:        none yet; create one with `npx roster tenant create --name NAME` (or `roster serve --demo`)'];
  const tenant = await services.tenants.create(DEMO_TENANT);
  const issued = await services.tokens.issue(tenant.id, { name: 'demo' });
  const link = await services.setupLinks.create(tenant.id, { note: 'printed by roster serve --demo' });
  return [
    `Created tenant "${tenant.name}" (${tenant.id}).`,
    `SCIM base URL:  ${scimBaseUrl(origin, tenant.id)}`,
    `Token:          ${issued.secret}`,
    '                (shown once: store it now; `roster token create` makes more)',
    `Setup link:     ${setupLinkUrl(origin, link.secret)}`,
    '                (opens the Demo tenant in the admin console for 72 hours)',
  ];
}

/** Where the data lives, for the start-up banner; a PostgreSQL password is never printed. */
export function describeDatabase(config: { dataDir: string; databaseUrl: string | undefined }): string {
  if (config.databaseUrl === undefined) return `SQLite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * The banner's warning when ROSTER_PUBLIC_URL is not set: console cookies then get `Secure`
 * only on requests that arrived over https, and setup links, console sign-in checks and
 * meta.location take their origin from each request's Host header, which clients choose.
 */
export function describePublicUrl(publicUrl: string | undefined): string[] {
  if (publicUrl !== undefined) return [];
  return [
    '',
    '!!! WARNING: ROSTER_PUBLIC_URL is not set. Console cookies are not marked Secure, and setup',
    '!!! links and SCIM locations take their origin from each request\'s Host header. Fine on a',
    '!!! laptop; in production set ROSTER_PUBLIC_URL=https://<the address clients use>.',
    '',
  ];
}
