/**
 * Named component schemas for the OpenAPI document. @fastify/swagger writes each route's
 * schemas inline and drops their `$id`, so a client generator would see anonymous shapes;
 * instead, every schema of a request body or response that has an `$id` is written once under
 * `components/schemas/<$id>` and referenced there. Query and path parameters stay inline (the
 * document lists them one by one).
 */

import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';

type SchemaNode = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface OpenApiComponents {
  /** For swagger's `transform`: the route's body and response schemas with named parts referenced. */
  readonly transform: SwaggerTransform;
  /** For swagger's `transformObject`: the document with every named schema under components. */
  readonly transformObject: SwaggerTransformObject;
}

/**
 * `documented`: schemas the document shows under their `$id` whatever the routes' own schema of
 * that name is (the event union, whose route schema stays lenient so that the feed serializes
 * an event type newer than the document).
 */
export function openApiComponents(documented: readonly SchemaNode[] = []): OpenApiComponents {
  const components = new Map<string, { readonly schema: unknown; readonly text: string }>();
  const fixed = new Set<string>();

  const reference = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(reference);
    if (!isNode(node)) return node;
    // TypeBox's own bookkeeping keys (`~kind`) are no JSON Schema.
    const entries = Object.entries(node).filter(([key]) => key !== '$id' && !key.startsWith('~'));
    const schema = Object.fromEntries(entries.map(([key, value]) => [key, reference(value)]));
    const name = node.$id;
    if (typeof name !== 'string') return schema;
    register(name, schema);
    // The description stays beside the reference: it is what the document shows for a response.
    return { $ref: `#/components/schemas/${name}`, ...(typeof node.description === 'string' ? { description: node.description } : {}) };
  };

  function register(name: string, schema: unknown): void {
    if (fixed.has(name)) return;
    const text = JSON.stringify(schema);
    const known = components.get(name);
    // Two different shapes under one name would make one of them wrong in every client.
    if (known !== undefined && known.text !== text) throw new Error(`Two different schemas are named ${name} in the OpenAPI document.`);
    components.set(name, { schema, text });
  }

  for (const schema of documented) {
    const { $id: name, ...body } = schema;
    if (typeof name !== 'string') throw new Error('A documented schema needs an $id.');
    register(name, reference(body));
    fixed.add(name);
  }

  return {
    transform({ schema, url }) {
      if (!isNode(schema)) return { schema, url };
      const { body, response, ...rest } = schema;
      return { schema: { ...rest, ...(body === undefined ? {} : { body: reference(body) }), ...(response === undefined ? {} : { response: reference(response) }) }, url };
    },
    transformObject(document) {
      if (!('openapiObject' in document)) return document.swaggerObject;
      const named = Object.fromEntries([...components.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, { schema }]) => [name, schema]));
      const { openapiObject } = document;
      return { ...openapiObject, components: { ...openapiObject.components, schemas: { ...openapiObject.components?.schemas, ...named } } } as typeof openapiObject;
    },
  };
}
