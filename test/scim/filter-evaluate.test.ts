import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr } from '../../src/schema/attribute.js';
import { baseRegistry, groupResourceType } from '../../src/schema/registry.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../../src/schema/types.js';
import { URN } from '../../src/schema/urns.js';
import { evaluateFilter, evaluateValueFilter } from '../../src/scim/filter/evaluate.js';
import { validateFilter } from '../../src/scim/filter/validate.js';
import type { JsonObject } from '../../src/scim/json.js';
import { cmp, parse, rfcFigure2 } from './filter-helpers.js';

const TEST_URN = 'urn:example:params:scim:schemas:extension:test:2.0:User';
const testExtension: SchemaDefinition = {
  id: TEST_URN,
  name: 'Test',
  description: 'Attributes of every type, for filter tests.',
  attributes: [
    attr.integer('level'),
    attr.decimal('score'),
    attr.dateTime('hiredAt'),
    attr.string('code', { caseExact: true }),
    attr.string('tags', { multiValued: true }),
  ],
};
const registry = baseRegistry.withExtensions([{ schema: testExtension, resourceType: 'User', required: false }]);
const users = registry.resourceType('User') as ResourceTypeDefinition;

const bjensen: JsonObject = {
  schemas: [URN.user, URN.enterpriseUser, TEST_URN],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen-EXT',
  userName: 'BJensen',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  nickName: '',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'babs@foo.com', type: 'xmpp' }],
  phoneNumbers: [],
  addresses: null,
  groups: [{ value: 'e9e30dba', display: 'Tour Guides', type: 'direct' }],
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff590"' },
  [URN.enterpriseUser]: { employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' } },
  [TEST_URN]: { level: 3, score: 2.5, hiredAt: '2020-01-01T09:00:00+01:00', code: 'AbC', tags: ['red', 'Blue'] },
};

const jsmith: JsonObject = {
  schemas: [URN.user],
  id: 'u2',
  userName: 'jsmith',
  userType: 'Intern',
  emails: [{ value: 'j@example.org', type: 'home' }],
  meta: { resourceType: 'User', created: '2011-01-01T00:00:00Z', lastModified: '2011-05-13T04:42:33.999Z' },
};

const contractor: JsonObject = { schemas: [URN.user], id: 'u3', userName: 'temp', userType: 'Contractor' };

const tourGuides: JsonObject = {
  schemas: [URN.group],
  id: 'e9e30dba',
  displayName: 'Tour Guides',
  members: [
    { value: '2819c223-7f76-453a-919d-413861904646', type: 'User', display: 'Babs Jensen' },
    { value: 'fc348aa8', type: 'Group', display: 'Guides (EU)' },
  ],
};

/** Parses, validates and evaluates, so every test filter is also a valid one. */
function matches(text: string, resource: JsonObject = bjensen, type: ResourceTypeDefinition = users): boolean {
  const filter = parse(text);
  validateFilter(filter, registry, type);
  return evaluateFilter(filter, resource, registry, type);
}

function truth(cases: readonly (readonly [string, boolean])[], resource: JsonObject = bjensen, type: ResourceTypeDefinition = users): void {
  for (const [text, expected] of cases) assert.equal(matches(text, resource, type), expected, text);
}

describe('evaluateFilter: RFC 7644 Figure 2', () => {
  const expectations: readonly (readonly [boolean, boolean, boolean])[] = [
    // bjensen, jsmith, contractor
    [true, false, false],
    [true, false, false],
    [false, true, false],
    [false, true, false],
    [true, false, false],
    [false, false, false],
    [true, false, false],
    [false, true, false],
    [true, true, false],
    [true, false, false],
    [true, true, false],
    [true, false, false],
    [true, false, false],
    [false, false, true],
    [true, false, false],
    [true, false, false],
    [true, false, false],
  ];

  it('gives the expected answer for each example on three users', () => {
    rfcFigure2.forEach((text, index) => {
      const expected = expectations[index];
      assert.ok(expected);
      assert.deepEqual([matches(text, bjensen), matches(text, jsmith), matches(text, contractor)], expected, text);
    });
  });
});

describe('evaluateFilter: strings and case', () => {
  it('folds case for caseExact: false attributes and not for caseExact: true ones', () => {
    truth([
      ['userName eq "bjensen"', true],
      ['userName eq "BJENSEN"', true],
      ['externalId eq "bjensen-EXT"', true],
      ['externalId eq "bjensen-ext"', false],
      ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
      ['meta.resourceType eq "user"', false],
      [`${TEST_URN}:code eq "abc"`, false],
      [`${TEST_URN}:code co "bC"`, true],
    ]);
  });

  it('folds with NFC and full Unicode lower-casing', () => {
    const amelie: JsonObject = { ...jsmith, userName: 'Ame\u0301lie', displayName: 'ÉCOLE' };
    truth([
      ['userName eq "am\u00e9lie"', true],
      ['displayName eq "école"', true],
      ['displayName sw "éc"', true],
    ], amelie);
  });

  it('implements co, sw and ew, with equal strings matching sw and ew', () => {
    truth([
      ['name.familyName co "malley"', true],
      ['name.familyName co "x"', false],
      ['userName sw "bj"', true],
      ['userName sw "bjensen"', true],
      ['userName ew "SEN"', true],
      ['userName ew "bjensen"', true],
      ['userName ew "bj"', false],
      ['userName co ""', true],
      ['nickName co ""', false],
      ['locale co ""', false],
    ]);
  });

  it('orders strings lexicographically after folding', () => {
    truth([
      ['userName gt "BA"', true],
      ['userName gt "bjensen"', false],
      ['userName ge "BJENSEN"', true],
      ['userName lt "bk"', true],
      ['userName le "bjensen"', true],
      ['userName lt "bjensen"', false],
      ['title lt "tour guide "', true],
    ]);
  });

  it('orders by code point, not by UTF-16 code unit', () => {
    // U+1F600 is above U+FFFD, though its first UTF-16 unit (0xD83D) is below 0xFFFD.
    const user: JsonObject = { ...jsmith, externalId: 'x\u{1F600}' };
    truth([
      ['externalId gt "x\uFFFD"', true],
      ['externalId lt "x\uFFFD"', false],
    ], user);
  });
});

describe('evaluateFilter: missing values, null and ne', () => {
  it('treats a missing attribute, null, "" and [] as unassigned for pr', () => {
    truth([
      ['title pr', true],
      ['locale pr', false],
      ['nickName pr', false],
      ['phoneNumbers pr', false],
      ['addresses pr', false],
    ]);
  });

  it('matches eq null exactly when the attribute is unassigned, and ne null when it is assigned', () => {
    truth([
      ['locale eq null', true],
      ['nickName eq null', true],
      ['phoneNumbers eq null', true],
      ['title eq null', false],
      ['title ne null', true],
      ['locale ne null', false],
      ['emails eq null', false],
      ['meta.lastModified ne null', true],
    ]);
    assert.equal(matches('emails eq null', contractor), true);
  });

  it('never matches other operators on an unassigned attribute', () => {
    truth([
      ['locale eq "en"', false],
      ['locale sw ""', false],
      ['locale gt ""', false],
      ['locale lt "zzz"', false],
    ]);
  });

  it('treats ne as not eq, so a missing attribute is ne anything', () => {
    truth([
      ['userName ne "x"', true],
      ['userName ne "BJENSEN"', false],
      ['locale ne "en"', true],
      ['nickName ne ""', true],
      ['active ne false', true],
    ]);
  });

  it('matches ne on a multi-valued attribute only when no value is equal', () => {
    truth([
      ['emails.value ne "babs@jensen.org"', false],
      ['emails.type ne "other"', true],
      [`${TEST_URN}:tags ne "blue"`, false],
    ]);
  });
});

describe('evaluateFilter: multi-valued and complex attributes', () => {
  it('matches a multi-valued comparison when any value matches', () => {
    truth([
      ['emails.type eq "home"', true],
      ['emails.value ew ".org"', true],
      ['emails.primary eq true', true],
      ['emails.primary eq false', false],
      [`${TEST_URN}:tags eq "BLUE"`, true],
      [`${TEST_URN}:tags gt "s"`, false],
    ]);
  });

  it('compares a bare multi-valued complex attribute through its value', () => {
    truth([
      ['emails co "example.com"', true],
      ['emails eq "BJENSEN@example.com"', true],
      ['emails sw "nobody"', false],
      ['emails pr', true],
    ]);
  });

  it('requires one element to satisfy a whole value filter, unlike separate comparisons', () => {
    truth([
      ['emails[type eq "work" and value co "jensen.org"]', false],
      ['emails.type eq "work" and emails.value co "jensen.org"', true],
      ['emails[type eq "home" and value co "jensen.org"]', true],
      ['emails[not (type eq "work")]', true],
      ['emails[primary eq true and type eq "home"]', false],
      ['phoneNumbers[type eq "work"]', false],
      ['addresses[type eq "work"]', false],
    ]);
    assert.equal(matches('emails[type pr]', contractor), false);
  });

  it('evaluates complex presence over the schema sub-attributes', () => {
    const empties: JsonObject = { ...jsmith, name: { givenName: '', familyName: null }, emails: [{ value: null }, {}] };
    truth([
      ['name pr', false],
      ['emails pr', false],
      ['emails.value pr', false],
      ['emails eq null', true],
    ], empties);
    truth([['name pr', true], ['name.middleName pr', false], ['name.givenName pr', true]]);
  });

  it('filters groups on Users and members on Groups', () => {
    truth([
      ['groups[value eq "e9e30dba"]', true],
      ['groups.display co "guides"', true],
      ['groups[value eq "e9e30dba" and type eq "indirect"]', false],
    ]);
    truth([
      ['members[value eq "2819c223-7f76-453a-919d-413861904646"]', true],
      ['members[value eq "fc348aa8" and type eq "User"]', false],
      ['members.type eq "group"', true],
      ['members.display sw "guides ("', true],
      ['members eq "fc348aa8"', true],
      ['displayName eq "tour guides"', true],
    ], tourGuides, groupResourceType);
  });
});

describe('evaluateFilter: extensions, schemas and common attributes', () => {
  it('reads extension attributes under their URN, qualified or not', () => {
    truth([
      [`${URN.enterpriseUser}:employeeNumber eq "701984"`, true],
      ['employeeNumber eq "701984"', true],
      [`${URN.enterpriseUser}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
      ['manager eq "26118915-6090-4610-87e4-49d8ca9f808d"', true],
      ['manager.displayName sw "john"', true],
      ['manager pr', true],
    ]);
    assert.equal(matches('employeeNumber pr or manager pr', jsmith), false);
  });

  it('matches schemas case-insensitively', () => {
    truth([
      [`schemas eq "${URN.enterpriseUser.toUpperCase()}"`, true],
      [`schemas eq "${URN.group}"`, false],
    ]);
  });

  it('reads keys in canonical case only', () => {
    const shouting: JsonObject = { schemas: [URN.user], id: 'u4', USERNAME: 'loud' };
    assert.equal(matches('userName eq "loud"', shouting), false);
  });
});

describe('evaluateFilter: numbers, booleans and dateTimes', () => {
  it('compares integers and decimals numerically', () => {
    truth([
      [`${TEST_URN}:level eq 3`, true],
      [`${TEST_URN}:level gt 2`, true],
      [`${TEST_URN}:level ge 3`, true],
      [`${TEST_URN}:level lt 3`, false],
      [`${TEST_URN}:level le 10`, true],
      [`${TEST_URN}:score eq 2.50`, true],
      [`${TEST_URN}:score gt 2.49`, true],
      [`${TEST_URN}:score lt 1e1`, true],
      [`${TEST_URN}:score ne 2.5`, false],
    ]);
  });

  it('compares booleans with eq and ne only', () => {
    truth([
      ['active eq true', true],
      ['active eq false', false],
      ['active ne true', false],
    ]);
  });

  it('compares dateTimes as instants', () => {
    truth([
      ['meta.lastModified eq "2011-05-13T04:42:34.000Z"', true],
      ['meta.lastModified eq "2011-05-13T06:42:34+02:00"', true],
      ['meta.lastModified eq "2011-05-13T04:42:34"', true],
      ['meta.lastModified gt "2011-05-13T04:42:33.999Z"', true],
      ['meta.lastModified lt "2011-05-13T04:42:34.001Z"', true],
      ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
      ['meta.lastModified le "2011-05-13T04:42:33Z"', false],
      ['meta.created lt "2011-05-13T04:42:34Z"', true],
      [`${TEST_URN}:hiredAt eq "2020-01-01T08:00:00Z"`, true],
      ['meta.lastModified ne "2011-05-13T04:42:34.0004Z"', false],
    ]);
  });

  it('never matches a stored dateTime that does not parse, though it is present', () => {
    const odd: JsonObject = { ...jsmith, meta: { lastModified: 'last Tuesday' } };
    truth([
      ['meta.lastModified pr', true],
      ['meta.lastModified eq null', false],
      ['meta.lastModified lt "9999-12-31T23:59:59Z"', false],
      ['meta.lastModified gt "0001-01-01T00:00:00Z"', false],
    ], odd);
  });

  it('never matches a stored value of the wrong JSON type', () => {
    const odd: JsonObject = { ...jsmith, title: 42, active: 'true', [TEST_URN]: { level: '3' } };
    truth([
      ['title eq "42"', false],
      ['title pr', true],
      ['active eq true', false],
      [`${TEST_URN}:level eq 3`, false],
    ], odd);
  });
});

describe('evaluateFilter: logic', () => {
  it('combines with and, or and not', () => {
    truth([
      ['userName eq "bjensen" and title pr', true],
      ['userName eq "bjensen" and locale pr', false],
      ['locale pr or title pr', true],
      ['not (locale pr)', true],
      ['not (title pr) or locale pr and userName pr', false],
      ['not (title pr and locale pr)', true],
    ]);
  });

  it('stays total on filters that did not pass validation', () => {
    const unknown = (text: string): boolean => evaluateFilter(parse(text), bjensen, registry, users);
    assert.equal(unknown('nope eq "x"'), false);
    assert.equal(unknown('nope ne "x"'), true);
    assert.equal(unknown('nope eq null'), true);
    assert.equal(unknown('nope pr'), false);
    assert.equal(unknown('nope[x pr]'), false);
    assert.equal(unknown('active eq "true"'), false);
    assert.equal(unknown('emails[nope eq "x"]'), false);
    assert.equal(unknown('emails[nope ne "x"]'), true);
  });
});

describe('evaluateValueFilter', () => {
  const emails = registry.coreOf(users).attributes.find((a) => a.name === 'emails') as AttributeDefinition;

  it('evaluates a value filter against one element', () => {
    const element: JsonObject = { value: 'Bjensen@Example.com', type: 'work', primary: true };
    assert.equal(evaluateValueFilter(parse('type eq "WORK" and value ew "example.com"'), element, emails), true);
    assert.equal(evaluateValueFilter(parse('primary eq false'), element, emails), false);
    assert.equal(evaluateValueFilter(parse('display pr'), element, emails), false);
    assert.equal(evaluateValueFilter(parse('display eq null'), element, emails), true);
    assert.equal(evaluateValueFilter(cmp('ne', 'Type', 'home'), element, emails), true);
  });

  it('matches nothing for a nested value path', () => {
    assert.equal(evaluateValueFilter({ kind: 'valuePath', path: { name: 'type' }, filter: cmp('eq', 'x', 'y') }, { type: 'work' }, emails), false);
  });
});
