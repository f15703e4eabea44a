import { loadConfig, type Config, type ConfigOverrides } from '../config.js';
import { createServices, type Services } from '../service/services.js';
import { openStore } from '../store/open-store.js';

/** Opens the configured store, applies migrations, runs `work`, and closes the store. */
export async function withServices<T>(work: (services: Services, config: Config) => Promise<T>, overrides: ConfigOverrides = {}): Promise<T> {
  const config = loadConfig(overrides);
  const store = openStore(config);
  try {
    await store.migrate();
    return await work(createServices(store), config);
  } finally {
    await store.close();
  }
}

export function scimBaseUrl(origin: string, tenantId: string): string {
  return `${origin}/scim/v2/${tenantId}`;
}

