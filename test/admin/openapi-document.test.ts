import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { openApiDocument } from '../../scripts/client-types.js';

type Node = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const document = await openApiDocument();
const schemas = ((document.components as Node).schemas ?? {}) as Record<string, Node>;
const operations = Object.entries(document.paths as Record<string, Node>).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method] !== undefined).map((method) => ({ route: `${method.toUpperCase()} ${path}`, operation: item[method] as Node })),
);

/** The schemas of an operation's request body and responses. */
function bodySchemas(operation: Node): { readonly where: string; readonly schema: Node }[] {
  const contents: [string, Node | undefined][] = [['request body', (operation.requestBody as Node | undefined)?.content as Node | undefined]];
  for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Node>)) contents.push([`response ${status}`, response.content as Node | undefined]);
  return contents.flatMap(([where, content]) => Object.values(content ?? {}).map((media) => ({ where, schema: (media as Node).schema as Node })));
}

/** The event types docs/events.md's table lists: what products are told they can receive. */
function documentedEventTypes(): string[] {
  const text = readFileSync('docs/events.md', 'utf8');
  const table = text.slice(text.indexOf('## Event types'), text.indexOf('### Example payloads'));
  return [...table.matchAll(/^\| `([a-z_]+\.[a-z_]+)` \|/gm)].map((match) => match[1] ?? '');
}

describe('OpenAPI document of the management API', () => {
  it('gives every route a unique operationId', () => {
    assert.ok(operations.length > 20);
    const missing = operations.filter(({ operation }) => typeof operation.operationId !== 'string').map(({ route }) => route);
    assert.deepEqual(missing, [], 'routes without an operationId (add one to the route\'s schema)');
    const ids = operations.map(({ operation }) => operation.operationId);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  });

  it('names every request body and response schema as a component', () => {
    const inline = operations.flatMap(({ route, operation }) =>
      bodySchemas(operation)
        .filter(({ schema }) => typeof schema.$ref !== 'string')
        .map(({ where }) => `${route} ${where}`),
    );
    assert.deepEqual(inline, [], 'inline schemas (give the TypeBox schema an $id)');
    const names = operations.flatMap(({ operation }) => bodySchemas(operation).map(({ schema }) => String(schema.$ref).replace('#/components/schemas/', '')));
    for (const name of names) assert.ok(schemas[name] !== undefined, `${name} is under components/schemas`);
  });

  it('describes events as a union discriminated by type, one member per documented event type', () => {
    const event = schemas.Event;
    assert.ok(event !== undefined);
    assert.deepEqual((event.discriminator as Node).propertyName, 'type');
    const mapping = (event.discriminator as { mapping: Record<string, string> }).mapping;
    const members = (event.oneOf as Node[]).map((member) => String(member.$ref));
    assert.deepEqual(Object.values(mapping).sort(), [...members].sort(), 'the mapping names every member');
    for (const [type, ref] of Object.entries(mapping)) {
      const member = schemas[ref.replace('#/components/schemas/', '')];
      const properties = member?.properties as Record<string, Node> | undefined;
      assert.equal(properties?.type?.const, type, `${ref} is the ${type} event`);
      assert.ok(properties?.data !== undefined, `${type} describes its data`);
    }
    assert.deepEqual(Object.keys(mapping).sort(), documentedEventTypes().sort(), 'every type in docs/events.md has its schema (src/http/admin/event-schemas.ts)');
    const feed = schemas.EventPage?.properties as Record<string, Node>;
    assert.deepEqual(feed.events?.items, { $ref: '#/components/schemas/Event' }, 'the feed lists Events');
  });
});
