// Messages other instances must hear of are sent again until the bus takes them, but not into a
// bus that is away: each try would hand the message to this instance's listeners once more.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { InsistentPublisher, LocalHub, type LiveMessage } from './hub.js';

/** A bus whose sends fail while it is down or told to fail, handing the message to local listeners then, as the real buses do. */
class TestBus extends LocalHub {
  sends = 0;
  taken = 0;
  failNext = 0;
  setUp(up: boolean): void {
    this.up = up;
  }
  override async publish(msg: LiveMessage): Promise<boolean> {
    this.sends++;
    if (!this.up || this.failNext > 0) {
      if (this.failNext > 0) this.failNext--;
      this.dispatch(msg);
      return false;
    }
    this.taken++;
    this.dispatch(msg);
    return true;
  }
}

const msg: LiveMessage = { type: 'link', orgId: 'o', shipmentId: 's', linkId: 'l', change: 'revoked' };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`not within 30 s: ${what}`);
    await wait(5);
  }
}

it('tries a bus that is away once, then waits for it and sends once it is back', async () => {
  const bus = new TestBus();
  let delivered = 0;
  bus.subscribe(() => delivered++);
  bus.setUp(false);
  const p = new InsistentPublisher(bus, { retryMs: 10, forMs: 5000, errorLog: () => {} });
  p.publish(msg);
  await wait(150);
  assert.equal(bus.sends, 1, 'old code: one send, and one local delivery, every retry period');
  assert.equal(delivered, 1, "this instance's listeners got it once");
  bus.setUp(true);
  await until(() => bus.taken === 1, 'sent once the bus is back');
  assert.equal(bus.sends, 2);
  p.stop();
});

it('sends again a message a connected bus failed to take, until it does', async () => {
  const bus = new TestBus();
  bus.failNext = 2;
  const p = new InsistentPublisher(bus, { retryMs: 10, forMs: 5000, errorLog: () => {} });
  p.publish(msg);
  await until(() => bus.taken === 1, 'taken at the third send');
  assert.equal(bus.sends, 3);
  p.stop();
});

it('gives up after forMs', async () => {
  const bus = new TestBus();
  bus.setUp(false);
  const p = new InsistentPublisher(bus, { retryMs: 10, forMs: 50, errorLog: () => {} });
  p.publish(msg);
  await wait(120);
  bus.setUp(true);
  await wait(60);
  assert.equal(bus.taken, 0);
  p.stop();
});
