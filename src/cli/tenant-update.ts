import { SETTING_NAMES } from '../policy/settings-schema.js';
import type { TenantSettings } from '../policy/settings-schema.js';
import { UsageError } from './command.js';

/**
 * `--set key=value` pairs as a settings patch. A value is JSON when it parses as JSON
 * (`--set seatLimit=10`, `--set autoSync=false`, `--set 'accessGroupIds=["g1","g2"]'`),
 * else a string (`--set ssoPolicy=saml`). The service validates the patch as the API does.
 */
export function settingsPatchOf(pairs: readonly string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--set takes key=value, got "${pair}".`);
    const key = pair.slice(0, equals);
    const text = pair.slice(equals + 1);
    try {
      patch[key] = JSON.parse(text) as unknown;
    } catch {
      patch[key] = text;
    }
  }
  return patch;
}

/** Settings as text for people: one `key: value` line each, in documentation order. */
export function settingsText(settings: TenantSettings): string {
  return SETTING_NAMES.map((name) => `${name}: ${JSON.stringify(settings[name])}`).join('\n');
}
