import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints.js';
import type { DeletePolicy, SeatPolicy, SsoPolicy, TenantSettings } from '../api/types.js';
import { messageOf } from '../components/errors.js';
import { Notice } from '../components/notice.js';
import { Link } from '../router.js';
import { CustomAttributesPanel } from './settings/custom-attributes.js';
import { SetupLinksPanel } from './settings/setup-links-panel.js';
import type { TenantPageProps } from '../api/tenant-context.js';

interface Draft {
  ssoPolicy: SsoPolicy;
  seatLimit: string;
  seatPolicy: SeatPolicy;
  deletePolicy: DeletePolicy;
  autoSync: boolean;
  groupsEnabled: boolean;
  groupsAsRoles: boolean;
  roleOrder: string;
  adminGroupOnly: boolean;
  strictAttributes: boolean;
  inactiveAttribute: string;
  requiredAttributes: string;
}

function draftOf(settings: TenantSettings): Draft {
  return {
    ssoPolicy: settings.ssoPolicy,
    seatLimit: settings.seatLimit === null ? '' : String(settings.seatLimit),
    seatPolicy: settings.seatPolicy,
    deletePolicy: settings.deletePolicy,
    autoSync: settings.autoSync,
    groupsEnabled: settings.groupsEnabled,
    groupsAsRoles: settings.groupsAsRoles,
    roleOrder: settings.roleOrder.join(', '),
    adminGroupOnly: settings.adminGroupOnly,
    strictAttributes: settings.strictAttributes,
    inactiveAttribute: settings.inactiveAttribute ?? '',
    requiredAttributes: settings.requiredAttributes.join(', '),
  };
}

/** A comma-separated list, its items trimmed, empty ones left out. */
function listOf(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** The changed settings only, or an error message for a value that cannot be sent. */
function patchOf(draft: Draft, settings: TenantSettings): Partial<TenantSettings> | string {
  const seatLimit = draft.seatLimit.trim() === '' ? null : Number(draft.seatLimit);
  if (seatLimit !== null && (!Number.isInteger(seatLimit) || seatLimit < 0)) return 'The seat limit is a whole number, or empty for no limit.';
  const next: Partial<TenantSettings> = {
    ssoPolicy: draft.ssoPolicy,
    seatLimit,
    seatPolicy: draft.seatPolicy,
    deletePolicy: draft.deletePolicy,
    autoSync: draft.autoSync,
    groupsEnabled: draft.groupsEnabled,
    groupsAsRoles: draft.groupsAsRoles,
    roleOrder: listOf(draft.roleOrder),
    adminGroupOnly: draft.adminGroupOnly,
    strictAttributes: draft.strictAttributes,
    inactiveAttribute: draft.inactiveAttribute.trim() === '' ? null : draft.inactiveAttribute.trim(),
    requiredAttributes: listOf(draft.requiredAttributes),
  };
  return Object.fromEntries(Object.entries(next).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(settings[key as keyof TenantSettings])));
}

const SEAT_POLICIES: readonly { value: SeatPolicy; label: string }[] = [
  { value: 'reject', label: 'Refuse the user (409 Conflict to the identity provider)' },
  { value: 'createInactive', label: 'Create the user inactive' },
];

function Choice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  help,
  disabled = false,
}: {
  legend: string;
  name: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  help: string;
  disabled?: boolean;
}) {
  return (
    <fieldset disabled={disabled}>
      <legend>{legend}</legend>
      <p className="help">{help}</p>
      {options.map((option) => (
        <label key={option.value} className="radio">
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} /> {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Every tenant policy of docs/policies.md, in one form. */
export function SettingsPage({ context, reload, session }: TenantPageProps) {
  const { tenant, settings } = context;
  // The seat limit is the customer's plan: a setup link's session sees it, only an operator changes it.
  const seatsLocked = session.kind !== 'operator';
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft({ ...draft, [key]: value });
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    const patch = patchOf(draft, settings);
    if (typeof patch === 'string') {
      setMessage({ kind: 'error', text: patch });
      return;
    }
    if (Object.keys(patch).length === 0) {
      setMessage({ kind: 'success', text: 'Nothing to save.' });
      return;
    }
    setBusy(true);
    try {
      await api.updateSettings(tenant.id, patch);
      setMessage({ kind: 'success', text: 'Settings saved.' });
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>Settings</h1>
      <form onSubmit={(e) => void save(e)} className="settings-form">
        <section className="card" aria-labelledby="s-provisioning">
          <h2 id="s-provisioning">Provisioning</h2>
          <p>
            SCIM is {settings.scimEnabled ? 'on' : 'off'}: turn it on or off on the <Link to={`/tenants/${tenant.id}/scim`}>SCIM page</Link>. The admin group, roles and access groups are on the{' '}
            <Link to={`/tenants/${tenant.id}/groups`}>Groups page</Link>.
          </p>
          <Choice
            legend="Sign-in method of provisioned members"
            name="ssoPolicy"
            value={draft.ssoPolicy}
            onChange={(v) => set('ssoPolicy', v)}
            help="Follows the SSO your account requires. While SCIM is on with SAML or OIDC, SSO cannot create members SCIM did not provision."
            options={[
              { value: 'none', label: 'Password (a random secret; the member resets it)' },
              { value: 'saml', label: 'SAML required' },
              { value: 'oidc', label: 'OIDC required' },
            ]}
          />
          <div className="checkbox">
            <input id="autoSync" type="checkbox" checked={draft.autoSync} onChange={(e) => set('autoSync', e.target.checked)} />
            <label htmlFor="autoSync">Automatic sync: apply the identity provider's changes at once (off: they wait for "Sync now")</label>
          </div>
          <div className="checkbox">
            <input id="groupsEnabled" type="checkbox" checked={draft.groupsEnabled} onChange={(e) => set('groupsEnabled', e.target.checked)} />
            <label htmlFor="groupsEnabled">Accept groups (off: every /Groups request is refused, for users-only provisioning)</label>
          </div>
        </section>
        <section className="card" aria-labelledby="s-roles">
          <h2 id="s-roles">Roles</h2>
          <div className="checkbox">
            <input id="groupsAsRoles" type="checkbox" checked={draft.groupsAsRoles} onChange={(e) => set('groupsAsRoles', e.target.checked)} />
            <label htmlFor="groupsAsRoles">Groups as roles: every pushed group gives its members a role of the group's name</label>
          </div>
          <label htmlFor="roleOrder">Role order</label>
          <input id="roleOrder" value={draft.roleOrder} onChange={(e) => set('roleOrder', e.target.value)} placeholder="e.g. owner, editor, viewer" aria-describedby="roleOrder-help" />
          <p id="roleOrder-help" className="help">
            Comma-separated, highest first. A member holding several roles shows the first: admin, then this order, then the others alphabetically.
          </p>
          <div className="checkbox">
            <input id="adminGroupOnly" type="checkbox" checked={draft.adminGroupOnly} disabled={settings.adminGroupId === null && !draft.adminGroupOnly} onChange={(e) => set('adminGroupOnly', e.target.checked)} aria-describedby="adminGroupOnly-help" />
            <label htmlFor="adminGroupOnly">Admins only from the admin group: nobody else is admin, and nobody is made admin by hand</label>
          </div>
          <p id="adminGroupOnly-help" className="help">
            {settings.adminGroupId === null ? 'Choose an admin group on the Groups page first.' : 'Admins outside the admin group lose admin when you save.'}
          </p>
        </section>
        <section className="card" aria-labelledby="s-seats">
          <h2 id="s-seats">Seats</h2>
          {seatsLocked ? (
            // Read-only values read as text, not as greyed-out fields that look editable.
            <dl className="facts">
              <dt>Seat limit</dt>
              <dd data-testid="seat-limit">{settings.seatLimit === null ? 'No limit' : settings.seatLimit}</dd>
              <dt>Past the seat limit</dt>
              <dd>{SEAT_POLICIES.find((p) => p.value === settings.seatPolicy)?.label}</dd>
            </dl>
          ) : (
            <>
              <label htmlFor="seatLimit">Seat limit</label>
              <input id="seatLimit" type="number" min={0} step={1} inputMode="numeric" placeholder="No limit" value={draft.seatLimit} onChange={(e) => set('seatLimit', e.target.value)} aria-describedby="seatLimit-help" />
            </>
          )}
          <p id="seatLimit-help" className="help">
            Active members only; archived and inactive members hold no seat.{seatsLocked ? ' Your plan sets the limit: ask your provider to change it.' : ' Empty means no limit.'}
          </p>
          {seatsLocked ? null : (
            <Choice
              legend="Past the seat limit"
              name="seatPolicy"
              value={draft.seatPolicy}
              onChange={(v) => set('seatPolicy', v)}
              help="What happens when the identity provider provisions one member too many."
              options={SEAT_POLICIES}
            />
          )}
        </section>
        <section className="card" aria-labelledby="s-deprovisioning">
          <h2 id="s-deprovisioning">Deprovisioning</h2>
          <Choice
            legend="When the identity provider deletes a user"
            name="deletePolicy"
            value={draft.deletePolicy}
            onChange={(v) => set('deletePolicy', v)}
            help="active = false always archives; this decides what DELETE does."
            options={[
              { value: 'archive', label: 'Archive the member (data kept; reactivated by active = true)' },
              { value: 'hard', label: 'Remove the member for good' },
            ]}
          />
        </section>
        <section className="card" aria-labelledby="s-attributes">
          <h2 id="s-attributes">Attributes</h2>
          <div className="checkbox">
            <input id="strictAttributes" type="checkbox" checked={draft.strictAttributes} onChange={(e) => set('strictAttributes', e.target.checked)} />
            <label htmlFor="strictAttributes">Strict attributes: reject unknown attributes with 400 instead of ignoring them</label>
          </div>
          <label htmlFor="requiredAttributes">Required attributes</label>
          <input id="requiredAttributes" value={draft.requiredAttributes} onChange={(e) => set('requiredAttributes', e.target.value)} placeholder="e.g. emails, name.familyName" aria-describedby="requiredAttributes-help" />
          <p id="requiredAttributes-help" className="help">
            Comma-separated. A create or replace without one of them is refused with a 400 that names it.
          </p>
          <label htmlFor="inactiveAttribute">Inactive attribute</label>
          <input id="inactiveAttribute" value={draft.inactiveAttribute} onChange={(e) => set('inactiveAttribute', e.target.value)} placeholder="e.g. privilege" aria-describedby="inactiveAttribute-help" />
          <p id="inactiveAttribute-help" className="help">
            A user attribute whose value "inactive" keeps the member inactive, without a seat. Empty for none.
          </p>
          <p className="help">Your own User attributes are under Custom attributes, below.</p>
        </section>
        {/* Sticky: the button and its answer stay in view however long the page. */}
        <div className="save-bar">
          <button type="submit" className="primary" aria-disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          {message === undefined ? null : <Notice kind={message.kind}>{message.text}</Notice>}
        </div>
      </form>
      <CustomAttributesPanel tenantId={tenant.id} accountName={tenant.name} settings={settings} onSaved={reload} />
      {session.kind === 'operator' ? <SetupLinksPanel tenantId={tenant.id} /> : null}
    </>
  );
}
