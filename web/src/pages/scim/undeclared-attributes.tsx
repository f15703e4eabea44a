import type { UndeclaredAttribute } from '../../api/types.js';
import { When } from '../../components/notice.js';
import { Link } from '../../router.js';

/**
 * Attributes the identity provider sends that no schema of the account declares: Roster
 * ignores them, so the admin sees here what to declare as a custom attribute.
 */
export function UndeclaredAttributes({ tenantId, attributes }: { tenantId: string; attributes: readonly UndeclaredAttribute[] }) {
  if (attributes.length === 0) return <span className="muted">None</span>;
  return (
    <>
      <ul className="plain-list" aria-label="Ignored attributes">
        {attributes.map((attribute) => (
          <li key={attribute.path}>
            <span className="mono">{attribute.path}</span>
            <span className="muted">
              {' '}
              · {attribute.count} time{attribute.count === 1 ? '' : 's'}, last <When at={attribute.lastSeenAt} />
            </span>
          </li>
        ))}
      </ul>
      <div className="help">
        Your identity provider sends these, but no schema of this account declares them, so they are ignored. Each request that carried one is in the <Link to={`/tenants/${tenantId}/activity`}>provisioning log</Link> with its body (search for the attribute&apos;s name). Declare the ones your product needs under{' '}
        <Link to={`/tenants/${tenantId}/settings`}>Settings → Custom attributes</Link>.
      </div>
    </>
  );
}
