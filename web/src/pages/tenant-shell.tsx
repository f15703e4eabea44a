import type { Session } from '../api/types.js';
import { loadTenant, type TenantPageProps } from '../api/tenant-context.js';
import { Header } from '../components/header.js';
import { Await } from '../components/notice.js';
import { useLoad } from '../components/use-load.js';
import { usePageTitle } from '../components/page-title.js';
import { Link } from '../router.js';
import { ActivityPage } from './activity-page.js';
import { GroupsPage } from './groups-page.js';
import { MembersPage } from './members-page.js';
import { ScimPage } from './scim-page.js';
import { SettingsPage } from './settings-page.js';

/** The pages of a tenant, in the order of the navigation. */
export const TENANT_PAGES = [
  { path: 'scim', title: 'SCIM' },
  { path: 'members', title: 'Members' },
  { path: 'groups', title: 'Groups' },
  { path: 'activity', title: 'Activity' },
  { path: 'settings', title: 'Settings' },
] as const;

export type TenantPage = (typeof TENANT_PAGES)[number]['path'];

function PageBody({ page, ...props }: TenantPageProps & { page: TenantPage }) {
  switch (page) {
    case 'scim':
      return <ScimPage {...props} />;
    case 'members':
      return <MembersPage {...props} />;
    case 'groups':
      return <GroupsPage {...props} />;
    case 'activity':
      return <ActivityPage {...props} />;
    case 'settings':
      return <SettingsPage {...props} />;
  }
}

/** A tenant's console: the top bar, the page tabs, and the page. */
export function TenantShell({ tenantId, page, session, onSignOut }: { tenantId: string; page: TenantPage; session: Session; onSignOut: () => void }) {
  const { loaded, reload } = useLoad(() => loadTenant(tenantId), tenantId);
  const title = TENANT_PAGES.find((p) => p.path === page)?.title ?? '';
  const name = loaded.state === 'ready' ? loaded.data.tenant.name : '';
  usePageTitle(title, name);
  return (
    <>
      <Header onSignOut={onSignOut} who={session.kind === 'operator' ? 'Operator' : 'Setup link'}>
        {session.kind === 'operator' ? (
          <Link to="" className="small">
            All tenants
          </Link>
        ) : null}
        <span className="tenant-name">{name}</span>
      </Header>
      <nav className="tabs" aria-label="Tenant pages">
        <ul>
          {TENANT_PAGES.map((p) => (
            <li key={p.path}>
              <Link to={`/tenants/${tenantId}/${p.path}`} aria-current={p.path === page ? 'page' : undefined}>
                {p.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {/* Following a tab link changes the page without a load: say so to screen readers (WCAG 4.1.3). */}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="page-announcement">
        {name === '' ? '' : `${title} page`}
      </p>
      <main id="main" className="content">
        <Await loaded={loaded}>{(context) => <PageBody page={page} context={context} reload={reload} session={session} />}</Await>
      </main>
    </>
  );
}
