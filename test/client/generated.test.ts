import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { clientFiles, DOCUMENT_PATH, TYPES_PATH } from '../../scripts/client-types.js';

describe('the client package\'s generated files', () => {
  it('are those of the current OpenAPI document (else run npm run generate:client)', async () => {
    const { document, types } = await clientFiles();
    assert.ok(readFileSync(DOCUMENT_PATH, 'utf8') === document, `${DOCUMENT_PATH} is stale: run npm run generate:client`);
    assert.ok(readFileSync(TYPES_PATH, 'utf8') === types, `${TYPES_PATH} is stale: run npm run generate:client`);
  });
});
