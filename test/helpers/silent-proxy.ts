// A TCP proxy a test puts between an instance and its bus or database, which can make chosen
// connections go silent: bytes stop arriving in either direction, yet neither side sees a close,
// a reset or an error. The honest model of half-open TCP (a peer gone without a FIN, a proxy or a
// server dropping a subscriber without telling it), which no client can tell from a quiet line.
import net from 'node:net';

interface Piped {
  client: net.Socket;
  upstream: net.Socket;
  /** The first bytes the client sent (up to 4 KB), to pick connections by what they asked. */
  said: string;
  /** While silent: what each side sent, held back (delivered on resume). */
  held: { toClient: Buffer[]; toUpstream: Buffer[] } | null;
}

export interface SilentProxy {
  port: number;
  /** Silences every open connection whose client has sent `marker` (any case: ioredis sends `subscribe`); returns how many. */
  silence(marker: string): number;
  /** Delivers what was held back and lets every connection flow again. */
  resume(): void;
  /** Silenced connections still open (neither side has closed them). */
  silencedOpen(): number;
  close(): Promise<void>;
}

export async function startSilentProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<SilentProxy> {
  const pipes = new Set<Piped>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const p: Piped = { client, upstream, said: '', held: null };
    pipes.add(p);
    client.on('data', (d: Buffer) => {
      if (p.said.length < 4096) p.said += d.toString('latin1');
      if (p.held) p.held.toUpstream.push(d);
      else upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (p.held) p.held.toClient.push(d);
      else client.write(d);
    });
    const end = () => {
      pipes.delete(p);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    silence(marker) {
      let n = 0;
      for (const p of pipes) {
        if (!p.said.toLowerCase().includes(marker.toLowerCase()) || p.held) continue;
        p.held = { toClient: [], toUpstream: [] };
        n++;
      }
      return n;
    },
    silencedOpen() {
      return [...pipes].filter((p) => p.held).length;
    },
    resume() {
      for (const p of pipes) {
        const held = p.held;
        p.held = null;
        for (const d of held?.toUpstream ?? []) p.upstream.write(d);
        for (const d of held?.toClient ?? []) p.client.write(d);
      }
    },
    async close() {
      for (const p of pipes) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
