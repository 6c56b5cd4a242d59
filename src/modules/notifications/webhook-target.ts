// Where a webhook may connect, and the one POST that delivers it. Unless WEBHOOK_ALLOW_PRIVATE is
// true, only public unicast addresses: a tenant must not make Tracklink reach the host's own
// network (cloud metadata, databases, admin UIs). The address is checked where the socket gets
// it (a lookup hook), so a name that resolves to a public address when checked and to a private
// one when used (DNS rebinding) has no window; failures all read the same, so a tenant cannot
// tell an open port from a closed one or a refused address from an unreachable one.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DeliveryFailure } from './outbox.worker.js';

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const TIMEOUT_MS = 10_000;

/**
 * True for addresses on the public internet. IPv4: ipaddr.js's `unicast`, i.e. not private,
 * loopback, link-local, CGNAT, unspecified, broadcast, multicast, benchmarking, documentation or
 * reserved. IPv6: plain global unicast only (2000::/3 minus documentation, Teredo, 6to4, ORCHID,
 * benchmarking…); IPv4-mapped, IPv4-compatible and NAT64 forms lead to an IPv4 host and are refused
 * with the rest (loopback, ULA, link-local, site-local, multicast, unspecified).
 */
export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 0) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  return ip.range() === 'unicast' && (ip as ipaddr.IPv6).match(GLOBAL_UNICAST);
}

/** The host of a URL as a resolver or `isIP` expects it (no IPv6 brackets). */
const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');

/**
 * True when the URL names a non-public host outright (an address literal or `localhost`). Names are
 * not resolved here: whether an internal name exists is not for a tenant to learn; delivery checks them.
 */
export function namesPrivateHost(url: string): boolean {
  const host = hostOf(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && !isPublicAddress(host);
}

class RefusedAddress extends Error {}

/** dns.lookup that fails when any address of the name is not public, so the socket never gets one. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    if (!addresses.length || !addresses.every((a) => isPublicAddress(a.address))) return callback(new RefusedAddress('the host name resolves to a non-public address'), '');
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
};

/** What a tenant sees for every failure short of an HTTP answer. */
export const DELIVERY_FAILED = 'Delivery failed: the receiver could not be reached';

/**
 * POSTs `body` and resolves with the receiver's status code (redirects are not followed, the
 * answer's body is not read). Rejects with one generic message for any network failure (its cause goes to the operator's log).
 */
export async function postWebhook(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<number> {
  const target = new URL(url);
  // Address literals never reach a lookup: they are checked here instead.
  const host = hostOf(url);
  if (!allowPrivate && isIP(host) !== 0 && !isPublicAddress(host)) throw new DeliveryFailure(DELIVERY_FAILED, { cause: new RefusedAddress('the URL names a non-public address') });
  const send = target.protocol === 'https:' ? https.request : http.request;
  try {
    return await new Promise<number>((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        },
        (res) => {
          res.destroy();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } catch (err) {
    // The cause (a DNS failure of an internal name, a refused address, a proxy's) is for the operator's log only.
    throw new DeliveryFailure(DELIVERY_FAILED, { cause: err });
  }
}
