import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go. A webhook URL is the seller's to choose, so it must not reach inside the
 * network the product runs in (SSRF): https only, and never a private, loopback, link-local,
 * unique-local, shared (CGNAT) or metadata address, whether written in the URL or resolved from its
 * name at delivery. The local stack alone delivers plain http to this machine (`loopbackHttp`, which
 * its launcher sets and the deployed template never does).
 */
export interface AddressRules {
  loopbackHttp: boolean;
}

const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Why this address may not receive webhooks, or null when it may. */
export function refusedAddress(address: string, rules: AddressRules): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return refusedAddress(mapped, rules);
  if (rules.loopbackHttp && loopback.check(address, type)) return null;
  return internal.check(address, type) ? `${address} is a private, loopback, link-local or otherwise internal address` : null;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Why this URL may not receive webhooks (at registration), or null when it may. */
export function refusedUrl(value: string, rules: AddressRules): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL';
  }
  const host = hostOf(url).toLowerCase();
  const local = host === 'localhost' || (isIP(host) !== 0 && loopback.check(host, isIP(host) === 4 ? 'ipv4' : 'ipv6'));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.loopbackHttp && local)) {
    return rules.loopbackHttp ? 'must be an https URL, or http to 127.0.0.1 or localhost on the local stack' : 'must be an https URL';
  }
  // A name is checked when it is resolved, at each delivery (on the address connected to).
  if (host === 'metadata.google.internal' || host.endsWith('.internal')) return 'must not be an internal name';
  return isIP(host) ? refusedAddress(host, rules) : null;
}
