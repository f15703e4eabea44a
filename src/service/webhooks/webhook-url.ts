import { Invalid, WebhookUrlNotPublic } from '../errors.js';
import { ipLiteral, isLocalhostName, nonPublicRange } from './target-address.js';
import { refusalMessage, type Resolve } from './webhook-transport.js';

/** How registration judges a webhook URL's host (the same policy the transport applies at connect time). */
export interface TargetPolicy {
  readonly allowPrivateTargets: boolean;
  readonly resolve: Resolve;
}

function parse(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Invalid(`"${url}" is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Invalid('A webhook URL must be http:// or https://.');
  if (parsed.username !== '' || parsed.password !== '') throw new Invalid('A webhook URL must not carry credentials; deliveries are signed instead.');
  return parsed;
}

/**
 * A webhook URL as stored, after checking it: http(s), no credentials, and (unless private
 * targets are allowed) a host that is not, and does not resolve to, a non-public address.
 * The URL parser has already turned `0x7f000001`, `2130706433`, `0177.0.0.1` and `127.1` into
 * `127.0.0.1`. A name that does not resolve now is accepted: every connection checks again.
 */
export async function checkWebhookUrl(url: string, policy: TargetPolicy): Promise<string> {
  const parsed = parse(url);
  if (policy.allowPrivateTargets) return parsed.toString();
  const host = parsed.hostname;
  const literal = ipLiteral(host);
  if (literal !== undefined) {
    const range = nonPublicRange(literal);
    if (range !== undefined) throw new WebhookUrlNotPublic(`${refusalMessage(literal, literal, range)}.`);
    return parsed.toString();
  }
  if (isLocalhostName(host)) throw new WebhookUrlNotPublic(`${host} is loopback (localhost), not a public address; set ROSTER_WEBHOOK_ALLOW_PRIVATE=true to allow private targets.`);
  let addresses;
  try {
    addresses = await policy.resolve(host);
  } catch {
    return parsed.toString();
  }
  for (const { address } of addresses) {
    const range = nonPublicRange(address);
    if (range !== undefined) throw new WebhookUrlNotPublic(`${refusalMessage(host, address, range)}.`);
  }
  return parsed.toString();
}
