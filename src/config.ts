import { resolve } from 'node:path';
import { loadLimits } from './config-limits.js';
import type { LimitsConfig } from './limits.js';

/** Roster's settings, from flags over environment variables over defaults. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /**
   * scheme://host[:port] as clients reach Roster, for printed URLs and meta.location. When
   * unset, meta.location follows the request's Host header and printed URLs use localhost.
   */
  readonly publicUrl: string | undefined;
  /** PostgreSQL connection string; when unset Roster uses SQLite in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly logLevel: string;
  /** Which proxies' X-Forwarded-For to believe for client addresses (Fastify's `trustProxy`); undefined believes none. */
  readonly trustProxy: boolean | number | string | undefined;
  /** Request limits (body, JSON nesting, filters, pages, Bulk, rate); see limits.ts and config-limits.ts. */
  readonly limits: LimitsConfig;
}

export interface ConfigOverrides {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly publicUrl?: string | undefined;
}

/**
 * ROSTER_TRUST_PROXY: `true` (every proxy), a number of hops, or a comma-separated list of
 * proxy addresses or CIDR ranges; unset, `false` or empty believes no X-Forwarded-For.
 */
function parseTrustProxy(text: string | undefined): boolean | number | string | undefined {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false') return undefined;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[0-9a-fA-F.:/,\s]+$/.test(value)) return value;
  throw new Error(`Invalid ROSTER_TRUST_PROXY "${value}": use true, a number of proxies, or proxy addresses or ranges separated by commas.`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port "${text}": use a number from 0 to 65535.`);
  return port;
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(overrides.port ?? env.PORT ?? '8080');
  const host = overrides.host ?? env.HOST ?? '127.0.0.1';
  const explicitUrl = overrides.publicUrl ?? env.ROSTER_PUBLIC_URL;
  const publicUrl = explicitUrl === undefined || explicitUrl === '' ? undefined : explicitUrl.replace(/\/+$/, '');
  return {
    port,
    host,
    dataDir: resolve(overrides.dataDir ?? env.ROSTER_DATA_DIR ?? './data'),
    publicUrl,
    databaseUrl: env.DATABASE_URL === undefined || env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    logLevel: env.ROSTER_LOG_LEVEL ?? 'info',
    trustProxy: parseTrustProxy(env.ROSTER_TRUST_PROXY),
    limits: loadLimits(env),
  };
}

/** The origin to print and to put in generated URLs. */
export function publicOrigin(config: Config, listeningPort: number = config.port): string {
  return config.publicUrl ?? `http://localhost:${listeningPort}`;
}
