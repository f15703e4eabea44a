import { readFileSync } from 'node:fs';
import { Invalid } from '../service/errors.js';
import type { EnsuredKey } from '../service/operator-keys.js';
import type { Services } from '../service/services.js';

const VARIABLE = 'ROSTER_OPERATOR_KEY_FILE';
/** The name the key gets when this creates it, as `roster operator-key list` shows it. */
const KEY_NAME = `deployment (${VARIABLE})`;

/** The operator key secret a deployment mounts, read at start; undefined when none is configured. */
export interface OperatorKeyFile {
  readonly path: string;
  readonly secret: string;
}

/**
 * Reads ROSTER_OPERATOR_KEY_FILE: the file holds one operator key secret (surrounding white
 * space, such as the final newline of a mounted secret, is ignored). Throws, stopping the
 * start, when the file cannot be read; its content is checked by `ensureOperatorKey`.
 */
export function readOperatorKeyFile(env: NodeJS.ProcessEnv): OperatorKeyFile | undefined {
  const path = env[VARIABLE];
  if (path === undefined || path.trim() === '') return undefined;
  try {
    return { path, secret: readFileSync(path, 'utf8').trim() };
  } catch (error) {
    throw new Error(`${VARIABLE} names ${path}, which cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Creates the file's key unless it exists; a malformed secret stops the start with the file named. */
export async function ensureOperatorKey(services: Services, file: OperatorKeyFile): Promise<EnsuredKey> {
  try {
    return await services.operatorKeys.ensure(KEY_NAME, file.secret);
  } catch (error) {
    if (error instanceof Invalid) throw new Error(`${VARIABLE} names ${file.path}, which holds no operator key. ${error.message}`);
    throw error;
  }
}

/** The start-up banner's line about the file's key. */
export function describeEnsuredKey(ensured: EnsuredKey): string {
  switch (ensured.state) {
    case 'created':
      return `Operator key:   ${ensured.key.id} from ${VARIABLE} (added now)`;
    case 'present':
      return `Operator key:   ${ensured.key.id} from ${VARIABLE}`;
    case 'revoked':
      return `Operator key:   the one in ${VARIABLE} is revoked and stays revoked; put a new key in the file`;
  }
}
