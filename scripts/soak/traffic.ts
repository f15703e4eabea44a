/**
 * The soak's identity-provider traffic: what Entra ID and Okta send during steady-state
 * provisioning (lookups before creates, creates with the enterprise extension, attribute
 * PATCHes in both dialects, Okta's PUT, deactivations and reactivations, group pushes and
 * member removals, paged imports), drawn by weight from a model of what exists, so every
 * request has one right answer and any other answer counts as an error.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One request the generator wants sent, with the statuses that count as success. */
export interface SoakRequest {
  readonly kind: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the tenant's SCIM base URL. */
  readonly path: string;
  readonly body?: unknown;
  readonly expect: readonly number[];
  /** Updates the model once the answer is in (success or not). */
  settle(status: number, body: unknown): void;
}

interface UserState {
  readonly id: string;
  readonly userName: string;
  active: boolean;
  /** Requests in flight that name this user; it is deleted only when none are. */
  busy: number;
}

interface GroupState {
  readonly id: string;
  readonly displayName: string;
  readonly members: Set<string>;
  busy: number;
}

/** A small deterministic PRNG (mulberry32), so a run can be repeated with its seed. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Support', 'Legal', 'Marketing'];
const TITLES = ['Engineer', 'Manager', 'Analyst', 'Director', 'Associate', 'Consultant'];

const q = (text: string): string => encodeURIComponent(text);

/** The traffic model: live users and groups as the generator believes them to be. */
export class Traffic {
  private readonly users: UserState[] = [];
  private readonly groups: GroupState[] = [];
  private serial = 0;
  private readonly weights: readonly [number, () => SoakRequest | undefined][];
  private readonly total: number;

  constructor(
    private readonly random: () => number,
    private readonly maxGroups = 200,
  ) {
    this.weights = [
      [16, () => this.lookupUser()],
      [12, () => this.createUser()],
      [14, () => this.patchUser()],
      [5, () => this.putUser()],
      [10, () => this.getUser()],
      [4, () => this.setActive(false)],
      [2, () => this.setActive(true)],
      [2, () => this.deleteUser()],
      [5, () => this.lookupGroup()],
      [2, () => this.createGroup()],
      [10, () => this.addMemberships()],
      [4, () => this.removeMembership()],
      [4, () => this.getGroup()],
      [3, () => this.listUsers()],
    ];
    this.total = this.weights.reduce((sum, [weight]) => sum + weight, 0);
  }

  /** Live users and groups, for the report. */
  get size(): { users: number; groups: number; memberships: number } {
    return { users: this.users.length, groups: this.groups.length, memberships: this.groups.reduce((sum, group) => sum + group.members.size, 0) };
  }

  /** The next request; kinds that need state the model lacks yet fall back to a create. */
  next(): SoakRequest {
    let roll = this.random() * this.total;
    for (const [weight, make] of this.weights) {
      roll -= weight;
      if (roll < 0) return make() ?? this.createUser();
    }
    return this.createUser();
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.random() * items.length)];
  }

  private hold<T extends { busy: number }>(item: T, request: Omit<SoakRequest, 'settle'>, settle: (status: number, body: unknown) => void = () => undefined): SoakRequest {
    item.busy += 1;
    return {
      ...request,
      settle: (status, body) => {
        item.busy -= 1;
        settle(status, body);
      },
    };
  }

  private createUser(): SoakRequest {
    this.serial += 1;
    const n = this.serial;
    const userName = `soak.user${n}@contoso.example`;
    return {
      kind: 'POST /Users',
      method: 'POST',
      path: '/Users',
      body: {
        schemas: [USER, ENTERPRISE],
        externalId: `ext-${n}`,
        userName,
        active: true,
        displayName: `Soak User ${n}`,
        name: { givenName: 'Soak', familyName: `User${n}`, formatted: `Soak User${n}` },
        emails: [{ primary: true, type: 'work', value: userName }],
        phoneNumbers: [{ type: 'mobile', value: `+1 555 0${String(n % 1000).padStart(3, '0')}` }],
        title: this.pick(TITLES),
        roles: [],
        [ENTERPRISE]: { department: this.pick(DEPARTMENTS), employeeNumber: String(n) },
      },
      expect: [201],
      settle: (status, body) => {
        const id = (body as { id?: unknown } | undefined)?.id;
        if (status === 201 && typeof id === 'string') this.users.push({ id, userName, active: true, busy: 0 });
      },
    };
  }

  private lookupUser(): SoakRequest {
    // Entra looks a user up by userName before creating it; half the lookups miss.
    const user = this.random() < 0.5 ? this.pick(this.users) : undefined;
    const userName = user?.userName ?? `absent${Math.floor(this.random() * 1e9)}@contoso.example`;
    return { kind: 'GET /Users?filter', method: 'GET', path: `/Users?filter=${q(`userName eq "${userName}"`)}`, expect: [200], settle: () => undefined };
  }

  private getUser(): SoakRequest | undefined {
    const user = this.pick(this.users);
    if (user === undefined) return undefined;
    return this.hold(user, { kind: 'GET /Users/{id}', method: 'GET', path: `/Users/${user.id}`, expect: [200] });
  }

  private patchUser(): SoakRequest | undefined {
    const user = this.pick(this.users);
    if (user === undefined) return undefined;
    // Entra capitalises op names and sends value paths; Okta sends lower case and no path.
    const entra = this.random() < 0.6;
    const body = entra
      ? {
          schemas: [PATCH],
          Operations: [
            { op: 'Replace', path: 'title', value: this.pick(TITLES) },
            { op: 'Replace', path: `${ENTERPRISE}:department`, value: this.pick(DEPARTMENTS) },
            { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: `+1 555 1${String(this.serial % 1000).padStart(3, '0')}` },
          ],
        }
      : { schemas: [PATCH], Operations: [{ op: 'replace', value: { displayName: `Soak User ${user.userName}`, 'name.givenName': 'Soaked' } }] };
    return this.hold(user, { kind: 'PATCH /Users/{id}', method: 'PATCH', path: `/Users/${user.id}`, body, expect: [200] });
  }

  private putUser(): SoakRequest | undefined {
    const user = this.pick(this.users);
    if (user === undefined) return undefined;
    const body = {
      schemas: [USER],
      userName: user.userName,
      active: user.active,
      name: { givenName: 'Soak', familyName: 'Replaced' },
      emails: [{ primary: true, type: 'work', value: user.userName }],
      title: this.pick(TITLES),
    };
    return this.hold(user, { kind: 'PUT /Users/{id}', method: 'PUT', path: `/Users/${user.id}`, body, expect: [200] });
  }

  private setActive(active: boolean): SoakRequest | undefined {
    const user = this.pick(this.users.filter((candidate) => candidate.active !== active));
    if (user === undefined) return undefined;
    const body = active
      ? { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: true } }] }
      : { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
    user.active = active;
    return this.hold(user, { kind: active ? 'PATCH reactivate' : 'PATCH deactivate', method: 'PATCH', path: `/Users/${user.id}`, body, expect: [200] });
  }

  private deleteUser(): SoakRequest | undefined {
    if (this.users.length < 50) return undefined;
    const index = Math.floor(this.random() * this.users.length);
    const user = this.users[index];
    // A user some request in flight names (a PATCH, a group push) is left for later.
    if (user === undefined || user.busy > 0) return undefined;
    this.users.splice(index, 1);
    for (const group of this.groups) group.members.delete(user.id);
    return { kind: 'DELETE /Users/{id}', method: 'DELETE', path: `/Users/${user.id}`, expect: [204], settle: () => undefined };
  }

  private lookupGroup(): SoakRequest {
    const group = this.random() < 0.7 ? this.pick(this.groups) : undefined;
    const name = group?.displayName ?? `Absent group ${Math.floor(this.random() * 1e9)}`;
    return {
      kind: 'GET /Groups?filter',
      method: 'GET',
      path: `/Groups?excludedAttributes=members&filter=${q(`displayName eq "${name}"`)}`,
      expect: [200],
      settle: () => undefined,
    };
  }

  private createGroup(): SoakRequest | undefined {
    if (this.groups.length >= this.maxGroups) return undefined;
    this.serial += 1;
    const displayName = `Soak Group ${this.serial}`;
    return {
      kind: 'POST /Groups',
      method: 'POST',
      path: '/Groups',
      body: { schemas: [GROUP], displayName, externalId: `grp-${this.serial}`, members: [] },
      expect: [201],
      settle: (status, body) => {
        const id = (body as { id?: unknown } | undefined)?.id;
        if (status === 201 && typeof id === 'string') this.groups.push({ id, displayName, members: new Set(), busy: 0 });
      },
    };
  }

  private addMemberships(): SoakRequest | undefined {
    const group = this.pick(this.groups);
    if (group === undefined || this.users.length === 0) return undefined;
    const count = 1 + Math.floor(this.random() * 5);
    const chosen = [...new Set(Array.from({ length: count }, () => this.pick(this.users)).filter((user): user is UserState => user !== undefined))];
    for (const user of chosen) {
      group.members.add(user.id);
      user.busy += 1;
    }
    const op = this.random() < 0.5 ? 'Add' : 'add';
    const body = { schemas: [PATCH], Operations: [{ op, path: 'members', value: chosen.map((user) => ({ value: user.id })) }] };
    return this.hold(group, { kind: 'PATCH /Groups add', method: 'PATCH', path: `/Groups/${group.id}`, body, expect: [204] }, () => {
      for (const user of chosen) user.busy -= 1;
    });
  }

  private removeMembership(): SoakRequest | undefined {
    const group = this.pick(this.groups.filter((candidate) => candidate.members.size > 0));
    if (group === undefined) return undefined;
    const id = this.pick([...group.members]);
    if (id === undefined) return undefined;
    group.members.delete(id);
    const body =
      this.random() < 0.5
        ? { schemas: [PATCH], Operations: [{ op: 'Remove', path: 'members', value: [{ value: id }] }] }
        : { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] };
    return this.hold(group, { kind: 'PATCH /Groups remove', method: 'PATCH', path: `/Groups/${group.id}`, body, expect: [204] });
  }

  private getGroup(): SoakRequest | undefined {
    const group = this.pick(this.groups);
    if (group === undefined) return undefined;
    return this.hold(group, { kind: 'GET /Groups/{id}', method: 'GET', path: `/Groups/${group.id}?excludedAttributes=members`, expect: [200] });
  }

  private listUsers(): SoakRequest {
    // Okta's import pages through every user 100 at a time.
    const start = 1 + Math.floor(this.random() * Math.max(1, this.users.length));
    return { kind: 'GET /Users page', method: 'GET', path: `/Users?startIndex=${start}&count=100`, expect: [200], settle: () => undefined };
  }
}
