import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr } from '../../src/schema/attribute.js';
import { baseRegistry, groupResourceType, userResourceType } from '../../src/schema/registry.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../../src/schema/types.js';
import { InvalidFilterError } from '../../src/scim/errors.js';
import type { FilterNode } from '../../src/scim/filter/ast.js';
import { validateFilter } from '../../src/scim/filter/validate.js';
import { cmp, parse, rfcFigure2, valuePath } from './filter-helpers.js';

const TEST_URN = 'urn:example:params:scim:schemas:extension:test:2.0:User';
const testExtension: SchemaDefinition = {
  id: TEST_URN,
  name: 'Test',
  description: 'Attributes of every type, for filter tests.',
  attributes: [
    attr.integer('level'),
    attr.decimal('score'),
    attr.binary('badge'),
    attr.dateTime('hiredAt'),
    attr.string('tags', { multiValued: true }),
    attr.complex('badges', [attr.integer('rank'), attr.string('label')], { multiValued: true }),
  ],
};
const registry = baseRegistry.withExtensions([{ schema: testExtension, resourceType: 'User', required: false }]);
const users = registry.resourceType('User') as ResourceTypeDefinition;

function accepts(text: string, type: ResourceTypeDefinition = users): void {
  assert.doesNotThrow(() => validateFilter(parse(text), registry, type), text);
}

function rejects(text: string, message: string | RegExp, type: ResourceTypeDefinition = users): void {
  rejectsNode(parse(text), message, type);
}

function rejectsNode(filter: FilterNode, message: string | RegExp, type: ResourceTypeDefinition = users): void {
  assert.throws(
    () => validateFilter(filter, registry, type),
    (error: unknown) => {
      assert.ok(error instanceof InvalidFilterError, String(error));
      assert.equal(error.scimType, 'invalidFilter');
      assert.equal(error.status, 400);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

describe('validateFilter: paths that resolve', () => {
  it('accepts every RFC 7644 Figure 2 example on Users', () => {
    for (const text of rfcFigure2) accepts(text);
  });

  it('accepts common attributes through the registry', () => {
    accepts('id eq "2819c223"');
    accepts('externalId eq "bjensen"');
    accepts('meta.created lt "2011-05-13T04:42:34Z"');
    accepts('meta.resourceType eq "User"');
    accepts('meta.lastModified gt "2011-05-13T04:42:34.5+02:00"');
  });

  it('accepts names in any case', () => {
    accepts('USERNAME eq "x" and Name.GivenName co "b" and EMAILS[TYPE eq "work"]');
    accepts('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName eq "x"');
  });

  it('accepts enterprise attributes qualified or not, and manager compared directly', () => {
    accepts('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"');
    accepts('employeeNumber eq "701984"');
    accepts('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"');
    accepts('id eq "1" and manager eq "26118915"');
    accepts('manager pr');
  });

  it('accepts groups sub-attributes on Users and members sub-attributes on Groups', () => {
    accepts('groups.value eq "g1" or groups.display co "ops" or groups.type eq "direct"');
    accepts('groups[value eq "g1" and type eq "direct"]');
    accepts('members.value eq "u1" or members.type eq "User" or members.display sw "B"', groupResourceType);
    accepts('members[value eq "u1" and type eq "User"]', groupResourceType);
    accepts('displayName eq "Finance"', groupResourceType);
  });

  it('accepts a bare multi-valued complex attribute as its value', () => {
    accepts('emails eq "bjensen@example.com"');
    accepts('emails co "@example.com"');
    accepts('emails pr and name pr and addresses pr');
  });

  it('accepts schemas', () => {
    accepts('schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"');
    accepts('schemas eq "urn:ietf:params:scim:schemas:core:2.0:Group"', groupResourceType);
  });

  it('accepts null with eq and ne on any type', () => {
    accepts('title eq null and active ne null and meta.lastModified eq null');
    accepts(`${TEST_URN}:level eq null`);
  });
});

describe('validateFilter: paths that do not resolve', () => {
  it('rejects an unknown attribute, naming it', () => {
    rejects('nickname2 eq "x"', 'Unknown attribute "nickname2" in filter: User resources have no such attribute');
    rejects('name.middle eq "x"', 'Unknown attribute "name.middle" in filter: User resources have no such attribute');
    rejects('userName.x eq "x"', /Unknown attribute "userName\.x"/);
  });

  it('rejects User attributes on Groups and Group attributes on Users', () => {
    rejects('userName eq "x"', 'Unknown attribute "userName" in filter: Group resources have no such attribute', groupResourceType);
    rejects('employeeNumber eq "1"', /Unknown attribute "employeeNumber"/, groupResourceType);
    rejects('members[value eq "x"]', /Unknown attribute "members"/, userResourceType);
  });

  it('rejects an extension the resource type does not have', () => {
    rejects('urn:ietf:params:scim:schemas:extension:other:2.0:User:employeeNumber eq "1"', /Unknown attribute/);
  });

  it('rejects an unknown sub-attribute inside a value filter, listing the known ones', () => {
    rejects('emails[kind eq "work"]', '"kind" inside "emails[…]" is not a sub-attribute of emails (it has value, display, type, primary)');
  });

  it('rejects qualified or dotted paths inside a value filter', () => {
    rejects('emails[emails.type eq "work"]', /"emails\.type" inside "emails\[…\]" is not a sub-attribute/);
    rejects('emails[urn:ietf:params:scim:schemas:core:2.0:User:type eq "work"]', /is not a sub-attribute of emails/);
  });
});

describe('validateFilter: value paths', () => {
  it('rejects a value path on an attribute that is not multi-valued complex', () => {
    rejects('name[givenName eq "x"]', '"name" is not a multi-valued complex attribute, so it cannot take a value filter "name[…]"');
    rejects('userName[value eq "x"]', /"userName" is not a multi-valued complex attribute/);
    rejects('manager[value eq "x"]', /"manager" is not a multi-valued complex attribute/);
    rejects(`${TEST_URN}:tags[value eq "x"]`, /is not a multi-valued complex attribute/);
  });

  it('rejects a value path whose attribute names a sub-attribute', () => {
    const filter: FilterNode = { kind: 'valuePath', path: { name: 'emails', subAttribute: 'value' }, filter: cmp('eq', 'type', 'work') };
    rejectsNode(filter, 'A value filter cannot follow the sub-attribute path "emails.value"');
  });

  it('rejects nested value paths built by hand', () => {
    rejectsNode(valuePath('emails', valuePath('type', cmp('eq', 'value', 'x'))), 'Value paths cannot be nested: "type[…]" inside "emails[…]"');
  });

  it('checks operators and values inside the brackets', () => {
    rejects('emails[primary gt true]', 'The operator "gt" cannot be used on "emails.primary", a boolean attribute');
    rejects('emails[primary eq "true"]', '"emails.primary" is a boolean attribute; compare it with true or false, not "true"');
    accepts(`${TEST_URN}:badges[rank ge 3 and label sw "gold"]`);
    rejects(`${TEST_URN}:badges[rank co "3"]`, `The operator "co" cannot be used on "${TEST_URN}:badges.rank", an integer attribute`);
  });
});

describe('validateFilter: operators by type', () => {
  it('rejects ordering operators on booleans and binaries (RFC 7644 §3.4.2.2)', () => {
    for (const op of ['gt', 'ge', 'lt', 'le']) {
      rejects(`active ${op} true`, `The operator "${op}" cannot be used on "active", a boolean attribute`);
      rejects(`x509Certificates.value ${op} "MIIB"`, `The operator "${op}" cannot be used on "x509Certificates.value", a binary attribute`);
    }
  });

  it('rejects substring operators on booleans, numbers, dateTimes and binaries', () => {
    for (const op of ['co', 'sw', 'ew']) {
      rejects(`active ${op} true`, /a boolean attribute/);
      rejects(`${TEST_URN}:level ${op} 1`, /an integer attribute/);
      rejects(`${TEST_URN}:score ${op} 1`, /a decimal attribute/);
      rejects(`meta.lastModified ${op} "2011-05-13T04:42:34Z"`, `The operator "${op}" cannot be used on "meta.lastModified", a dateTime attribute`);
      rejects(`${TEST_URN}:badge ${op} "AA"`, /a binary attribute/);
    }
  });

  it('accepts every operator on strings and references, and ordering on numbers and dateTimes', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      accepts(`userName ${op} "x"`);
      accepts(`profileUrl ${op} "https://x"`);
    }
    for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le']) {
      accepts(`${TEST_URN}:level ${op} 3`);
      accepts(`${TEST_URN}:score ${op} 2.5`);
      accepts(`${TEST_URN}:hiredAt ${op} "2020-01-01T00:00:00Z"`);
    }
    accepts('active eq true and active ne false');
    accepts(`${TEST_URN}:badge eq "AAEC"`);
  });

  it('rejects comparing a complex attribute without a value sub-attribute, except with pr', () => {
    rejects('name eq "Barbara"', '"name" is a complex attribute; filter on one of its sub-attributes (such as name.formatted) or use pr');
    rejects('addresses co "Main"', /"addresses" is a complex attribute/);
    rejects('meta gt "x"', /"meta" is a complex attribute/);
    rejects('name eq null', /"name" is a complex attribute/);
    accepts('name pr and addresses pr and meta pr');
  });

  it('rejects null with operators other than eq and ne', () => {
    rejects('title gt null', 'The operator "gt" cannot compare "title" with null; only eq and ne can');
    rejects('title co null', /cannot compare "title" with null/);
  });
});

describe('validateFilter: literal types', () => {
  it('rejects a string for a boolean and a number for a string', () => {
    rejects('active eq "true"', '"active" is a boolean attribute; compare it with true or false, not "true"');
    rejects('userName eq 42', '"userName" is a string attribute; compare it with a string in double quotes, not 42');
    rejects('userName eq true', /"userName" is a string attribute/);
    rejects('profileUrl eq 1', /"profileUrl" is a reference attribute/);
  });

  it('requires numbers for numeric attributes and integers for integer ones', () => {
    rejects(`${TEST_URN}:level eq "3"`, new RegExp(`"${TEST_URN}:level" is an integer attribute; compare it with an integer, not "3"`));
    rejects(`${TEST_URN}:level gt 1.5`, /is an integer attribute; compare it with an integer, not 1\.5/);
    rejects(`${TEST_URN}:score eq "2.5"`, /is a decimal attribute; compare it with a number, not "2\.5"/);
    accepts(`${TEST_URN}:score eq 3`);
  });

  it('requires an xsd:dateTime string for dateTime attributes', () => {
    rejects('meta.lastModified gt "yesterday"', '"meta.lastModified" is a dateTime attribute; compare it with an xsd:dateTime string such as "2011-05-13T04:42:34Z", not "yesterday"');
    rejects('meta.lastModified gt "2011-05-13"', /is a dateTime attribute/);
    rejects('meta.lastModified gt "2011-02-30T00:00:00Z"', /is a dateTime attribute/);
    rejects('meta.lastModified gt 1305261754', /is a dateTime attribute/);
    accepts('meta.lastModified gt "2011-05-13T04:42:34"');
  });
});

describe('validateFilter: never-returned attributes', () => {
  it('rejects filtering on password in any form', () => {
    rejects('password eq "secret"', 'Filtering on "password" is not allowed: the attribute is never returned');
    rejects('password pr', /Filtering on "password"/);
    rejects('userName eq "x" and not (PASSWORD sw "a")', /Filtering on "PASSWORD"/);
    rejects('urn:ietf:params:scim:schemas:core:2.0:User:password eq "x"', /is not allowed: the attribute is never returned/);
  });
});
