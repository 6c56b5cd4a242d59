// Log lines gathered in memory and handed to the file descriptor's writer a batch at a time.
//
// Pino's destination (sonic-boom) appends every line to the text it has not written yet and then
// measures that whole text in bytes (Buffer.byteLength), which copies it into one flat string: with
// a write on a libuv thread in flight, up to 16 KB copied for every access line. In the hot
// /t/{slug} bench that was the largest single cost of logging at info (issue 19: 3.8 µs of the
// 12 µs of main-thread CPU an access line cost, by CPU profile). Here a line is only put in a
// list; the list becomes one string per batch, which the writer measures and writes once.
import { writeSync } from 'node:fs';

/** The writer underneath: pino.destination's sonic-boom (asynchronous: sync false). */
export interface LineWriter {
  destroyed?: boolean;
  write(text: string): unknown;
  flush(cb?: (err?: Error) => void): void;
  flushSync(): void;
}

export class LineBatches {
  /** Lines are not written with a blocking write(2) each (pino and log-output.test read this). */
  readonly sync = false;
  private lines: string[] = [];
  /** UTF-16 code units in `lines`: the batch size is a bound, not an exact byte count. */
  private chars = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: LineWriter,
    /** The writer's file descriptor, written directly only at exit. */
    private readonly fd: number,
    /** A batch is handed over once it holds this many characters… */
    private readonly batchChars: number,
    /** …or this long after its first line, whichever comes first. */
    private readonly maxWaitMs: number,
  ) {
    flushAtExit(this);
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.batchChars) this.handOver();
    else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.handOver();
      }, this.maxWaitMs);
      // A lone line must not keep the process alive: the exit hook below writes it.
      this.timer.unref();
    }
    return true;
  }

  /** Every line so far to the writer, which starts writing them (pino's logger.flush() calls this). */
  flush(cb?: (err?: Error) => void): void {
    this.handOver();
    this.out.flush(cb);
  }

  /**
   * Every line so far written before returning (pino.final, the exit hook): what the writer holds
   * first, then this batch. Not through the writer's write(), which would start an asynchronous
   * write that a process about to exit never finishes.
   */
  flushSync(): void {
    const text = this.take();
    if (this.out.destroyed) return;
    this.out.flushSync();
    if (text) writeAllSync(this.fd, text);
  }

  private handOver(): void {
    const text = this.take();
    if (text && !this.out.destroyed) this.out.write(text);
  }

  private take(): string {
    if (this.lines.length === 0) return '';
    const text = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    return text;
  }
}

/** A blocking write of all of `text`, waiting out a full non-blocking pipe for up to a second. */
function writeAllSync(fd: number, text: string): void {
  let buf = Buffer.from(text);
  for (let waits = 0; buf.length > 0; ) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || ++waits > 100) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Lines still in a batch when the process exits (process.exit, the end of a graceful shutdown, an
 * uncaught exception, the event loop running out) are written synchronously, as pino's own exit
 * hook does for what its destination holds. A kill the process cannot handle (SIGKILL, the OOM
 * killer) loses the batch: at most BATCH_CHARS of lines or FLUSH_MS of them (log-output.ts), plus
 * what the destination had not written yet. Held weakly: an app built and dropped (the tests build
 * many) does not stay in memory for this.
 */
const batchesAtExit = new Set<WeakRef<LineBatches>>();
const dropped = new FinalizationRegistry<WeakRef<LineBatches>>((ref) => batchesAtExit.delete(ref));

function flushAtExit(batches: LineBatches): void {
  const ref = new WeakRef(batches);
  batchesAtExit.add(ref);
  dropped.register(batches, ref);
}

process.on('exit', () => {
  for (const ref of batchesAtExit) {
    try {
      ref.deref()?.flushSync();
    } catch {
      // A destination already closed (its fd gone, a broken pipe) has nowhere to write to.
    }
  }
});
