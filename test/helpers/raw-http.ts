// Raw TCP clients for connection-level tests: a request that never finishes its headers, a body
// trickled a byte at a time, many idle sockets from one address.
import net from 'node:net';

export interface RawConnection {
  socket: net.Socket;
  /** Resolves when the server closed the connection (or it broke), with everything received. */
  closed: Promise<{ received: string; error: string | null; closedAt: number }>;
  /** Stops trickling (if it did) and closes from our side. */
  destroy(): void;
}

/**
 * Opens a connection from `localAddress` (any 127.x address reaches a server on 127.0.0.1 on
 * Linux: another client address without another machine), writes `initial` and, with
 * `trickleMs`, one more space every trickleMs until the server closes. Fails the test if the
 * server has not closed it within `maxOpenMs`: on a server without timeouts it never would.
 */
export function rawConnection(port: number, opts: { initial?: string; trickleMs?: number; localAddress?: string; maxOpenMs?: number } = {}): RawConnection {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress: opts.localAddress });
  let received = '';
  let error: string | null = null;
  let trickle: NodeJS.Timeout | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (received += d));
  socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
  socket.once('connect', () => {
    if (opts.initial) socket.write(opts.initial);
    if (opts.trickleMs) trickle = setInterval(() => socket.writable && socket.write(' '), opts.trickleMs);
  });
  const closed = new Promise<{ received: string; error: string | null; closedAt: number }>((resolve, reject) => {
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server left the connection open for ${opts.maxOpenMs ?? 20_000} ms`));
    }, opts.maxOpenMs ?? 20_000);
    socket.once('close', () => {
      clearTimeout(guard);
      if (trickle) clearInterval(trickle);
      resolve({ received, error, closedAt: Date.now() });
    });
  });
  return {
    socket,
    closed,
    destroy() {
      if (trickle) clearInterval(trickle);
      socket.destroy();
    },
  };
}

/** Status code and parsed JSON body of a raw HTTP/1.1 reply. */
export function parseRawReply(text: string): { status: number; headers: Record<string, string>; body: any } {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const bodyText = rest.join('\r\n\r\n');
  let body: any = bodyText;
  try {
    body = JSON.parse(bodyText);
  } catch {
    /* not JSON */
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body };
}
