// The key every per-client limit counts under (public rate limit, connections per IP, live
// streams per IP, device auth failures). One IPv6 /64 is what a single home or VPS gets, so
// counting full IPv6 addresses would hand one client 2^64 fresh buckets. Logs keep the real address.
import ipaddr from 'ipaddr.js';

/**
 * IPv4 as is, IPv4-mapped IPv6 (::ffff:1.2.3.4) as its IPv4, any other IPv6 as its /64 prefix
 * ("2001:db8:1:2::/64"); anything unparsable as is.
 */
export function clientKey(ip: string): string {
  // Most peers are IPv4: no parse for them.
  if (!ip.includes(':')) return ip;
  if (!ipaddr.IPv6.isValid(ip)) return ip;
  const addr = ipaddr.IPv6.parse(ip);
  if (addr.isIPv4MappedAddress()) return addr.toIPv4Address().toString();
  return `${new ipaddr.IPv6([...addr.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
