/**
 * The path below the SCIM base URL, which every row shares: `/scim/v2/{tenantId}/Users` and
 * the token-only `/scim/v2/Users` both read `/Users`.
 */
export function shortPath(path: string, tenantId: string): string {
  const tenantBase = `/scim/v2/${tenantId}`;
  const rest = path === tenantBase || path.startsWith(`${tenantBase}/`) || path.startsWith(`${tenantBase}?`) ? path.slice(tenantBase.length) : path.replace(/^\/scim\/v2(?=$|[/?])/, '');
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}
