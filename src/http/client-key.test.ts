// One IPv6 /64 is one client for every per-client limit: the key itself, and the limits that are
// plain objects (live streams, connections, device auth failures). The public rate limit is tested
// over HTTP in public-page.test.ts.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../modules/metrics/metrics.js';
import { LocalHub } from '../modules/live/hub.js';
import { LiveService } from '../modules/live/live.service.js';
import { DeviceGuard } from '../modules/positions/device-guard.js';
import { clientKey } from './client-key.js';
import { ConnectionTracker } from './connections.plugin.js';

const SAME_64 = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:DB8:1:2:a:b:c:d'];
const OTHER_64 = '2001:db8:1:3::1';

describe('clientKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, cuts other IPv6 to its /64 and leaves junk alone', () => {
    assert.deepEqual(
      ['192.0.2.7', '::ffff:192.0.2.7', '::FFFF:c000:207', '2001:db8:1:2:3:4:5:6', '2001:db8::1', 'fe80::1%eth0', '::1', 'not an ip', ''].map(clientKey),
      ['192.0.2.7', '192.0.2.7', '192.0.2.7', '2001:db8:1:2::/64', '2001:db8::/64', 'fe80::/64', '::/64', 'not an ip', ''],
    );
  });

  it('gives every address of one /64 the same key and another /64 a different one', () => {
    assert.deepEqual([...new Set(SAME_64.map(clientKey))], ['2001:db8:1:2::/64']);
    assert.notEqual(clientKey(OTHER_64), clientKey(SAME_64[0]));
  });
});

describe('per-client limits count an IPv6 /64 as one client', () => {
  it('live streams: SSE_MAX_PER_IP is shared by a /64, not by the next /64', () => {
    const live = new LiveService(new LocalHub(), {} as never, {} as never, async () => 'not_found', { maxPerIp: 2, invalidate: () => {} });
    const a = live.admit('s', SAME_64[0]);
    live.admit('s', SAME_64[1]);
    assert.throws(() => live.admit('s', SAME_64[2]), { code: 'rate_limited' });
    live.admit('s', OTHER_64);
    live.detach(a);
    live.admit('s', SAME_64[2]);
  });

  it('connections: MAX_CONNECTIONS_PER_IP is shared by a /64, not by the next /64', () => {
    const log = { warn: () => {} } as unknown as FastifyInstance['log'];
    const metrics = { countConnectionCut: () => {} } as unknown as Metrics;
    const tracker = new ConnectionTracker(2, metrics, log);
    const sockets: Array<{ destroyed: boolean }> = [];
    const connect = (ip: string) => {
      const s = Object.assign(new EventEmitter(), { remoteAddress: ip, destroyed: false, write: () => true, destroy: () => void (s.destroyed = true) });
      tracker.accept(s as unknown as Socket);
      sockets.push(s);
      return s;
    };
    connect(SAME_64[0]);
    connect(SAME_64[1]);
    assert.equal(connect(SAME_64[2]).destroyed, true, 'a third connection from the /64 is refused');
    assert.equal(connect(OTHER_64).destroyed, false);
    assert.equal(tracker.open, 3);
  });

  it('device auth failures: DEVICE_AUTH_FAILURE_LIMIT is shared by a /64, not by the next /64', async () => {
    const guard = new DeviceGuard({ authFailuresPerMinute: 2, credentialFailuresPerMinute: 100, requestsPerMinute: 100 });
    await guard.authFailed(SAME_64[0], 'tld_a');
    await guard.authFailed(SAME_64[1], 'tld_b');
    await assert.rejects(guard.checkFailures(SAME_64[2], 'tld_c'), { code: 'rate_limited' });
    await guard.checkFailures(OTHER_64, 'tld_c');
  });
});
