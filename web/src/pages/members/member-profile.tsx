import { Fragment, type ReactNode } from 'react';
import type { DirectoryMember } from '../../api/types.js';
import { When } from '../../components/notice.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Profile = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Profile {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A SCIM value as text: strings as they are, anything else as compact JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A multi-valued attribute's entry (email, phone): its value, then its type and primary mark. */
function entry(item: unknown): string {
  if (!isRecord(item)) return text(item);
  const marks = [typeof item.type === 'string' ? item.type : undefined, item.primary === true ? 'primary' : undefined].filter((m) => m !== undefined);
  return `${text(item.value ?? item.display ?? item)}${marks.length === 0 ? '' : ` (${marks.join(', ')})`}`;
}

function address(item: unknown): string {
  if (!isRecord(item)) return text(item);
  const formatted = typeof item.formatted === 'string' ? item.formatted : ['streetAddress', 'locality', 'region', 'postalCode', 'country'].map((k) => item[k]).filter((v) => typeof v === 'string' && v !== '').join(', ');
  return `${formatted}${typeof item.type === 'string' ? ` (${item.type})` : ''}${item.primary === true ? ' (primary)' : ''}`;
}

function fullName(name: unknown): string | undefined {
  if (!isRecord(name)) return undefined;
  if (typeof name.formatted === 'string') return name.formatted;
  const parts = ['honorificPrefix', 'givenName', 'middleName', 'familyName', 'honorificSuffix'].map((k) => name[k]).filter((v) => typeof v === 'string');
  return parts.length === 0 ? undefined : parts.join(' ');
}

/** Pairs with a value; absent attributes are left out rather than shown empty. */
function Pairs({ rows }: { rows: readonly (readonly [string, ReactNode | undefined])[] }) {
  const present = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (present.length === 0) return <p className="muted small">None.</p>;
  return (
    <dl className="pairs">
      {present.map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function List({ items, show }: { items: unknown; show: (item: unknown) => string }) {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  if (items.length === 1) return show(items[0]);
  return (
    <ul className="plain-list">
      {items.map((item, index) => (
        <li key={index}>{show(item)}</li>
      ))}
    </ul>
  );
}

/** What the profile shows under its own heading; the rest of the attributes are listed under "Other attributes". */
const SHOWN = new Set(['id', 'meta', 'schemas', 'active', 'password', 'groups', 'userName', 'displayName', 'name', 'nickName', 'title', 'userType', 'externalId', 'preferredLanguage', 'locale', 'timezone', 'profileUrl', 'emails', 'phoneNumbers', 'addresses', ENTERPRISE]);

/** Every attribute of an extension (or of the rest of the profile), one pair each. */
function Attributes({ values }: { values: Profile }) {
  return <Pairs rows={Object.entries(values).map(([key, value]) => [key, text(value)] as const)} />;
}

/**
 * The member's whole SCIM profile as the IdP sent it: core attributes, the enterprise
 * extension, the tenant's custom extensions and anything else the IdP sent.
 */
export function MemberProfile({ member }: { member: DirectoryMember }) {
  const profile = member.profile;
  if (profile === null) return <p className="muted">{member.formerlyManagedByScim ? 'Formerly provisioned: the SCIM setup was deleted with this member\'s SCIM profile.' : 'Made by hand: this member has no SCIM profile.'}</p>;
  const enterprise = isRecord(profile[ENTERPRISE]) ? profile[ENTERPRISE] : undefined;
  const manager = enterprise !== undefined && isRecord(enterprise.manager) ? text(enterprise.manager.displayName ?? enterprise.manager.value) : undefined;
  const extensions = Object.entries(profile).filter(([key, value]) => key.startsWith('urn:') && key !== ENTERPRISE && isRecord(value)) as [string, Profile][];
  const others = Object.fromEntries(Object.entries(profile).filter(([key]) => !SHOWN.has(key) && !key.startsWith('urn:')));
  const meta = isRecord(profile.meta) ? profile.meta : {};
  const str = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : text(value));
  return (
    <>
      <h3>Profile</h3>
      <Pairs
        rows={[
          ['User name', str(profile.userName)],
          ['Display name', str(profile.displayName)],
          ['Name', fullName(profile.name)],
          ['Nickname', str(profile.nickName)],
          ['Title', str(profile.title)],
          ['User type', str(profile.userType)],
          ['Emails', <List items={profile.emails} show={entry} />],
          ['Phone numbers', <List items={profile.phoneNumbers} show={entry} />],
          ['Addresses', <List items={profile.addresses} show={address} />],
          ['Preferred language', str(profile.preferredLanguage)],
          ['Locale', str(profile.locale)],
          ['Timezone', str(profile.timezone)],
          ['Profile URL', str(profile.profileUrl)],
          ['External ID', str(profile.externalId)],
          ['Created', typeof meta.created === 'string' ? <When at={meta.created} /> : undefined],
          ['Last modified', typeof meta.lastModified === 'string' ? <When at={meta.lastModified} /> : undefined],
        ]}
      />
      {enterprise === undefined ? null : (
        <>
          <h3>Enterprise attributes</h3>
          <Pairs
            rows={[
              ['Employee number', str(enterprise.employeeNumber)],
              ['Cost center', str(enterprise.costCenter)],
              ['Organization', str(enterprise.organization)],
              ['Division', str(enterprise.division)],
              ['Department', str(enterprise.department)],
              ['Manager', manager],
            ]}
          />
        </>
      )}
      {extensions.map(([schema, values]) => (
        <section key={schema} aria-label={`Custom attributes: ${schema}`}>
          <h3>Custom attributes</h3>
          <p className="muted small mono">{schema}</p>
          <Attributes values={values} />
        </section>
      ))}
      {Object.keys(others).length === 0 ? null : (
        <>
          <h3>Other attributes</h3>
          <Attributes values={others} />
        </>
      )}
    </>
  );
}
