/**
 * A TCP relay to a database server that counts round trips: every time the client sends after the
 * server has answered (or for the first time) is one. For tests of how many round trips a write
 * takes against the real server.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class CountingRelay {
  roundTrips = 0;
  private clientSpokeLast = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  /** `target`: the server's URL; `defaultPort` when the URL names none. */
  constructor(
    private readonly target: URL,
    defaultPort: number,
  ) {
    this.server = createServer((client) => {
      const upstream = createConnection(Number(target.port || defaultPort), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk) => {
        if (!this.clientSpokeLast) this.roundTrips++;
        this.clientSpokeLast = true;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        this.clientSpokeLast = false;
        client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  /** Starts listening; the target's URL with the relay's host and port in it. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the relay has no port');
    const url = new URL(this.target.toString());
    url.hostname = '127.0.0.1';
    url.port = String(address.port);
    return url.toString();
  }

  /** Cuts every relayed connection; new ones are still taken. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
