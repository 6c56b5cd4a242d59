// The probe treats the bus as lost when its own pings stop coming back (a subscription that died
// silently), and as back when one returns; a stalled event loop alone never counts as that.
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { it } from 'node:test';
import { BusProbe, PROBE_PUBLISH_STUCK_MS } from './bus-probe.js';
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

function setup<B extends HeldBus>(bus: B = new HeldBus() as B) {
  let clock = 1_000_000;
  const probe = new BusProbe(bus, () => clock, { intervalMs: 1000, overdueMs: 3000 });
  return { bus, probe, at: (ms: number) => (clock = 1_000_000 + ms) };
}

it('counts the bus lost once when a ping is not back in time, keeps pinging, and counts it back (with a resync) when one returns', async () => {
  const { bus, probe, at } = setup();
  probe.tick();
  // The bus takes it at once (its overdue time runs from then).
  await nextTurn();
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

/** A bus whose publishes settle when the test says: a busy pool (PostgreSQL), a slow PUBLISH, or none at all. */
class SlowBus extends HeldBus {
  readonly settle: ((taken: boolean) => void)[] = [];
  override async publish(msg: LiveMessage): Promise<boolean> {
    this.out.push(msg);
    return new Promise<boolean>((resolve) => this.settle.push(resolve));
  }
}

const slowSetup = () => setup(new SlowBus());

it('does not count the time a ping waits to be published (a busy database pool) as the subscription being silent', async () => {
  const { bus, probe, at } = slowSetup();
  probe.tick();
  // Every pool connection busy: the NOTIFY waits 4.5 s for one, then the echo is back at once.
  for (const ms of [1000, 2000, 3000, 4000]) {
    at(ms);
    probe.tick();
    await nextTurn();
  }
  assert.equal(bus.out.length, 1, 'no second ping while the first is not published');
  at(4500);
  bus.settle.shift()!(true);
  await nextTurn();
  bus.deliverNewest();
  at(5000);
  probe.tick();
  await nextTurn();
  assert.equal(bus.losses, 0, 'a slow publish is no silent subscription (a lost bus resyncs every viewer)');
  assert.equal(bus.connected, true);
  assert.equal(probe.lagSeconds, 4.5, 'the lag gauge still shows the whole round trip');
});

it('counts a ping the bus took and never brought back, from the moment it took it', async () => {
  const { bus, probe, at } = slowSetup();
  probe.tick();
  for (const ms of [1000, 2000, 3000, 4000]) {
    at(ms);
    probe.tick();
    await nextTurn();
    if (ms === 2000) bus.settle.shift()!(true);
    await nextTurn();
  }
  assert.equal(bus.connected, true, 'taken 2 s ago: not yet overdue');
  at(5000);
  probe.tick();
  await nextTurn();
  assert.equal(bus.deaf, true, 'taken 3 s ago and not back');
  assert.equal(bus.losses, 1);
});

it('sends another ping after one the bus did not take, and never judges the one that failed', async () => {
  const { bus, probe, at } = slowSetup();
  probe.tick();
  at(500);
  bus.settle.shift()!(false);
  await nextTurn();
  for (const ms of [1000, 2000, 3000, 4000, 5000]) {
    at(ms);
    probe.tick();
    await nextTurn();
    if (bus.settle.length) bus.settle.shift()!(false);
    await nextTurn();
  }
  assert.equal(bus.losses, 0, 'a failed NOTIFY or PUBLISH is not a silent subscription');
  assert.equal(bus.out.length, 6, 'a new ping every round while none is taken');
  at(6000);
  probe.tick();
  bus.settle.shift()!(true);
  await nextTurn();
  bus.deliverNewest();
  assert.equal(bus.connected, true);
});

it('counts a ping whose publish never settles as lost after PROBE_PUBLISH_STUCK_MS (a server gone silent for both connections)', async () => {
  const { bus, probe, at } = slowSetup();
  probe.tick();
  for (let ms = 1000; ms < PROBE_PUBLISH_STUCK_MS; ms += 1000) {
    at(ms);
    probe.tick();
    await nextTurn();
  }
  assert.equal(bus.connected, true);
  at(PROBE_PUBLISH_STUCK_MS);
  probe.tick();
  await nextTurn();
  assert.equal(bus.deaf, true);
  assert.equal(bus.losses, 1);
});

it('does not start a ping that waits behind an unsettled publish whose echo already came back', async () => {
  const { bus, probe, at } = slowSetup();
  probe.tick();
  // The echo is read before the publish's own answer (two sockets), which then takes 5 s.
  bus.deliverNewest();
  for (const ms of [1000, 2000, 3000, 4000, 5000]) {
    at(ms);
    probe.tick();
    await nextTurn();
    if (ms === 2000) bus.settle.shift()!(true);
    await nextTurn();
    if (bus.out.length) bus.deliverNewest();
  }
  assert.equal(bus.losses, 0);
  assert.equal(bus.connected, true);
});
