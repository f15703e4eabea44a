// Writes the client package's OpenAPI document and types (scripts/client-types.ts).
import { writeFileSync } from 'node:fs';
import { clientFiles, DOCUMENT_PATH, TYPES_PATH } from './client-types.js';

const { document, types } = await clientFiles();
writeFileSync(DOCUMENT_PATH, document);
writeFileSync(TYPES_PATH, types);
console.log(`wrote ${DOCUMENT_PATH} and ${TYPES_PATH}`);
