// The live stream's writer against a client that stops reading: what it was not able to send
// stays in this process's memory, so past a bound the stream is cut instead of growing.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { it } from 'node:test';
import { MAX_UNSENT_BYTES, ResponseSink } from './live.routes.js';

/** A response whose unsent bytes are what was written and never drained (a client not reading). */
function stalledResponse() {
  const res = {
    written: [] as string[],
    writableLength: 0,
    writableEnded: false,
    destroyed: false,
    write(chunk: string) {
      this.written.push(chunk);
      this.writableLength += Buffer.byteLength(chunk);
      return false;
    },
    destroy() {
      this.destroyed = true;
    },
    end() {
      this.writableEnded = true;
    },
  };
  return res;
}

it('cuts a stream whose client has stopped reading once more than MAX_UNSENT_BYTES wait for it, and writes nothing more', () => {
  const res = stalledResponse();
  const sink = new ResponseSink(res as unknown as ServerResponse, { detach: () => {} }, {} as never);
  const event = `event: position\ndata: ${'x'.repeat(200)}\n\n`;
  const fits = Math.floor(MAX_UNSENT_BYTES / Buffer.byteLength(event));
  for (let i = 0; i <= fits; i++) sink.write(event);
  assert.equal(res.destroyed, false, 'up to the bound the stream goes on');
  const kept = res.written.length;
  for (let i = 0; i < 1000; i++) sink.write(event);
  assert.equal(res.destroyed, true, 'cut once past the bound');
  assert.equal(res.written.length, kept, 'nothing more is buffered for it');
  assert.ok(res.writableLength <= MAX_UNSENT_BYTES + Buffer.byteLength(event));
});

it('keeps writing to a client that reads what it is sent', () => {
  const res = stalledResponse();
  const sink = new ResponseSink(res as unknown as ServerResponse, { detach: () => {} }, {} as never);
  for (let i = 0; i < 10_000; i++) {
    sink.write('data: {}\n\n');
    res.writableLength = 0; // the client took it
  }
  assert.equal(res.destroyed, false);
  assert.equal(res.written.length, 10_000);
});
