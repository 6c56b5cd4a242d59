// The probe treats the bus as lost when its own pings stop coming back (a subscription that died
// silently), and as back when one returns; a stalled event loop alone never counts as that.
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { it } from 'node:test';
import { BusProbe } from './bus-probe.js';
import { LocalHub, type LiveMessage } from './hub.js';

/** A bus that holds what is published until the test delivers it, as a subscription would (or would not). */
class HeldBus extends LocalHub {
  readonly out: LiveMessage[] = [];
  losses = 0;
  resyncs = 0;
  constructor() {
    super();
    this.onLost(() => this.losses++);
    this.onResync(() => this.resyncs++);
  }
  override async publish(msg: LiveMessage): Promise<boolean> {
    this.out.push(msg);
    return true;
  }
  /** Delivers the newest held message through the subscription. */
  deliverNewest(): void {
    const m = this.out.pop();
    assert.ok(m, 'a message was published');
    this.receive(JSON.stringify(m));
  }
}

function setup() {
  let clock = 1_000_000;
  const bus = new HeldBus();
  const probe = new BusProbe(bus, () => clock, { intervalMs: 1000, overdueMs: 3000 });
  return { bus, probe, at: (ms: number) => (clock = 1_000_000 + ms) };
}

it('counts the bus lost once when a ping is not back in time, keeps pinging, and counts it back (with a resync) when one returns', async () => {
  const { bus, probe, at } = setup();
  probe.tick();
  for (const ms of [1000, 2000]) {
    at(ms);
    probe.tick();
    await nextTurn();
  }
  assert.equal(bus.connected, true, 'not yet overdue');
  assert.equal(bus.out.length, 1, 'one ping at a time while it is not overdue');
  at(3000);
  probe.tick();
  await nextTurn();
  assert.equal(bus.connected, false);
  assert.equal(bus.deaf, true);
  assert.equal(bus.losses, 1);
  for (const ms of [4000, 5000]) {
    at(ms);
    probe.tick();
    await nextTurn();
  }
  assert.equal(bus.losses, 1, 'announced once');
  assert.equal(bus.out.length, 4, 'a deaf bus gets a new ping every round');
  assert.equal(bus.resyncs, 0);
  bus.deliverNewest();
  assert.equal(bus.connected, true);
  assert.equal(bus.deaf, false);
  assert.equal(bus.resyncs, 1);
});

it('does not count a ping overdue for the time the event loop was stalled', async () => {
  const { bus, probe, at } = setup();
  probe.tick();
  // The loop is blocked for 10 s: the next tick comes 9 s late, the answer is still unread in a socket.
  at(10_000);
  probe.tick();
  await nextTurn();
  assert.equal(bus.connected, true);
  bus.deliverNewest();
  assert.equal(bus.connected, true);
  assert.equal(bus.losses, 0);
  assert.equal(probe.lagSeconds, 10, 'the lag gauge still shows how late the answer was read');
});

it('reads the answer that waited behind an overdue tick before judging the ping', async () => {
  const { bus, probe, at } = setup();
  probe.tick();
  for (const ms of [1000, 2000, 3000]) {
    at(ms);
    probe.tick();
    // The answer, which arrived while this tick's timer ran, is read in the same turn's I/O.
    if (ms === 3000) bus.deliverNewest();
    await nextTurn();
  }
  assert.equal(bus.connected, true);
  assert.equal(bus.losses, 0);
});
