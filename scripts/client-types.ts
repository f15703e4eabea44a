// The files of the client package (packages/client) that come from the management API's
// OpenAPI document: the document itself and its TypeScript types, made by openapi-typescript.
// `npm run generate:client` writes them; test/client/generated.test.ts fails while they are stale.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { buildApp } from '../src/http/app.js';
import { createServices } from '../src/service/services.js';
import { openSqliteStore } from '../src/store/sql/sqlite/sqlite-store.js';

export const DOCUMENT_PATH = 'packages/client/openapi.json';
export const TYPES_PATH = 'packages/client/src/api-types.ts';

/** The OpenAPI document as the server serves it at /api/v1/openapi.json. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = openSqliteStore({ filename: ':memory:' });
  await store.migrate();
  const app = await buildApp({ services: createServices(store), publicUrl: 'https://roster.example.com', logLevel: 'silent' });
  try {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    return JSON.parse(response.body) as Record<string, unknown>;
  } finally {
    await app.close();
    await store.close();
  }
}

/** Both files' text, as they must be on disk. */
export async function clientFiles(): Promise<{ readonly document: string; readonly types: string }> {
  const document = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
  const types = astToString(await openapiTS(document, {}));
  return {
    document,
    types: `${COMMENT_HEADER}// Generated from ${DOCUMENT_PATH} by \`npm run generate:client\`.\n\n${types}`,
  };
}
