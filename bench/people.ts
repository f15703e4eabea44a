import type { JsonObject } from '../src/scim/json.js';

/**
 * Realistic, deterministic SCIM users: user number `i` always gets the same name, userName,
 * e-mail, phones, address and enterprise attributes, so the load generator can rebuild any
 * seeded user's userName or PUT body from its index without keeping them in memory.
 */

const FIRST = [
  'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'Donald', 'Katherine',
  'John', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Susan', 'Richard', 'Jessica',
  'Joseph', 'Sarah', 'Thomas', 'Karen', 'Charles', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Ashley',
  'Sofía', 'Mateo', 'Zoë', 'Björn', 'Aiko', 'Hiroshi', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Chloé', 'Émile', 'Nguyễn', 'Wei', 'Olga', 'Dmitri',
];
const LAST = [
  'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Berners-Lee',
  'Lamarr', 'Knuth', 'Johnson', 'Smith', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris',
  'Sánchez', 'Clark', 'Ramírez', 'Lewis', 'Robinson', 'Walker', 'Müller', 'Schmidt', 'Tanaka', 'Suzuki', 'Patel', 'Sharma', 'Haddad',
  "O'Brien", 'Dubois', 'Tran', 'Zhang', 'Ivanova', 'Kowalski', 'Nakamura',
];
const TITLES = [
  'Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'Product Manager', 'Designer', 'Account Executive',
  'Sales Development Representative', 'Customer Success Manager', 'Support Specialist', 'Recruiter', 'Financial Analyst', 'Counsel',
  'Marketing Manager', 'Data Scientist', 'Site Reliability Engineer', 'IT Administrator', 'Office Manager', 'Director', 'Vice President',
];
/** Departments; each becomes a group whose members are the users of that department. */
export const DEPARTMENTS = [
  'Engineering', 'Product', 'Design', 'Sales', 'Marketing', 'Customer Success', 'Support', 'Finance', 'Legal', 'People',
  'IT', 'Security', 'Data', 'Operations', 'Facilities', 'Research', 'Partnerships', 'Procurement', 'Communications', 'Executive',
];
const OFFICES = [
  { streetAddress: '100 Market Street', locality: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US', timezone: 'America/Los_Angeles', locale: 'en-US' },
  { streetAddress: '350 Fifth Avenue', locality: 'New York', region: 'NY', postalCode: '10118', country: 'US', timezone: 'America/New_York', locale: 'en-US' },
  { streetAddress: '1 Canada Square', locality: 'London', region: 'England', postalCode: 'E14 5AB', country: 'GB', timezone: 'Europe/London', locale: 'en-GB' },
  { streetAddress: 'Friedrichstraße 68', locality: 'Berlin', region: 'Berlin', postalCode: '10117', country: 'DE', timezone: 'Europe/Berlin', locale: 'de-DE' },
  { streetAddress: '2-7-1 Marunouchi', locality: 'Tokyo', region: 'Tokyo', postalCode: '100-0005', country: 'JP', timezone: 'Asia/Tokyo', locale: 'ja-JP' },
  { streetAddress: '80 Ann Siang Road', locality: 'Singapore', region: 'Singapore', postalCode: '069699', country: 'SG', timezone: 'Asia/Singapore', locale: 'en-SG' },
  { streetAddress: 'Avenida Paulista 1578', locality: 'São Paulo', region: 'SP', postalCode: '01310-200', country: 'BR', timezone: 'America/Sao_Paulo', locale: 'pt-BR' },
  { streetAddress: '16 Rue de la Paix', locality: 'Paris', region: 'Île-de-France', postalCode: '75002', country: 'FR', timezone: 'Europe/Paris', locale: 'fr-FR' },
] as const;

/** The tenant's e-mail domain. */
export const DOMAIN = 'acme-corp.example';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** A small, fast, seedable PRNG (mulberry32); returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function digits(random: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(Math.floor(random() * 10));
  return out;
}

function asciiKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The parts of user `index` that several callers need without building the whole body. */
export interface Person {
  readonly given: string;
  readonly family: string;
  readonly userName: string;
  readonly department: string;
}

/** User `index`'s names; cheap enough to call per request. */
export function personOf(index: number, salt = ''): Person {
  const random = prng(index * 2654435761 + 17);
  const given = pick(random, FIRST);
  const family = pick(random, LAST);
  const department = DEPARTMENTS[index % DEPARTMENTS.length] as string;
  // The index keeps userNames unique however the names repeat.
  const userName = `${asciiKey(given)}.${asciiKey(family)}${salt}${index}@${DOMAIN}`;
  return { given, family, userName, department };
}

/** How a user body is built. */
export interface UserBodyOptions {
  /** The id of an earlier user to name as manager (enterprise extension), if any. */
  readonly managerId?: string;
  /** Overrides the title (PUT and PATCH scenarios change it). */
  readonly title?: string;
  /** Makes the userName distinct from the seeded users' (POST scenario). */
  readonly salt?: string;
}

/**
 * User `index` as an IdP would POST it: names, work e-mail (and a personal one for some),
 * work and mobile phones, a work address, title, locale and time zone, an externalId for
 * most, the enterprise extension for about two in three, and `active` false for a few.
 */
export function userBody(index: number, options: UserBodyOptions = {}): JsonObject {
  const person = personOf(index, options.salt);
  const random = prng(index * 40503 + 7919);
  const office = pick(random, OFFICES);
  const enterprise = random() < 0.65;
  const body: JsonObject = {
    schemas: enterprise ? [CORE_USER, ENTERPRISE] : [CORE_USER],
    userName: person.userName,
    name: { givenName: person.given, familyName: person.family, formatted: `${person.given} ${person.family}` },
    displayName: `${person.given} ${person.family}`,
    emails: [{ value: person.userName, type: 'work', primary: true }],
    phoneNumbers: [{ value: `+1 555 01${digits(random, 2)} ${digits(random, 4)}`, type: 'work' }],
    addresses: [{ type: 'work', ...pickAddress(office), formatted: `${office.streetAddress}, ${office.postalCode} ${office.locality}, ${office.country}`, primary: true }],
    title: options.title ?? pick(random, TITLES),
    preferredLanguage: office.locale,
    locale: office.locale,
    timezone: office.timezone,
    active: random() >= 0.03,
  };
  if (random() < 0.5) (body.phoneNumbers as JsonObject[]).push({ value: `+1 555 02${digits(random, 2)} ${digits(random, 4)}`, type: 'mobile' });
  if (random() < 0.2) (body.emails as JsonObject[]).push({ value: `${asciiKey(person.given)}${digits(random, 3)}@mail.example`, type: 'home' });
  if (random() < 0.85) body.externalId = externalIdOf(random);
  if (enterprise) {
    const extension: JsonObject = {
      employeeNumber: String(100000 + index),
      costCenter: `CC-${digits(random, 4)}`,
      organization: 'Acme Corp',
      division: person.department === 'Engineering' || person.department === 'Product' ? 'R&D' : 'Go to market',
      department: person.department,
    };
    if (options.managerId !== undefined) extension.manager = { value: options.managerId };
    body[ENTERPRISE] = extension;
  }
  return body;
}

function pickAddress(office: (typeof OFFICES)[number]): JsonObject {
  return { streetAddress: office.streetAddress, locality: office.locality, region: office.region, postalCode: office.postalCode, country: office.country };
}

/** An Entra-style object id (a GUID) from the PRNG. */
function externalIdOf(random: () => number): string {
  const hex = (count: number): string => {
    let out = '';
    for (let i = 0; i < count; i += 1) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}
