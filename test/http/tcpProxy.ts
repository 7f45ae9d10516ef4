/**
 * A TCP proxy in front of the test database that can be cut (the listener
 * closed and every connection dropped, so the port refuses connections) and
 * restored on the same port: a database that goes away and comes back.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttableProxy {
  /** mongodb://127.0.0.1:PORT/?directConnection=true */
  readonly uri: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startCuttableProxy(targetUri: string): Promise<CuttableProxy> {
  const target = new URL(targetUri.replace(/^mongodb:/, 'http:'));
  const targetPort = Number(target.port || 27017);
  const sockets = new Set<Socket>();
  const newServer = (): Server =>
    createServer((client) => {
      const upstream = connect(targetPort, target.hostname);
      sockets.add(client).add(upstream);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream).pipe(client);
    });
  const listen = (server: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  let server = newServer();
  const port = await listen(server, 0);
  let listening = true;
  const cut = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    cut,
    async restore() {
      if (listening) return;
      server = newServer();
      await listen(server, port);
      listening = true;
    },
    close: cut,
  };
}
