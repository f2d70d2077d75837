import http from 'node:http';
import net from 'node:net';
import { listenLocally } from '../http/listen.js';

export interface CountingProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** CONNECT tunnels opened (https URLs), by the host:port asked for. */
  tunnels: string[];
  /** Requests forwarded in absolute form (http URLs), by their URL. */
  forwarded: string[];
  stop(): Promise<void>;
}

export interface CountingProxyOptions {
  /**
   * Where a host a client names is reached; default: that host. A test that routes names no DNS
   * knows to the emulator proves that a call to one of them went through this proxy.
   */
  route?: (host: string, port: number) => { host: string; port: number };
}

/**
 * A small HTTP proxy on 127.0.0.1 (port 0) that counts what it carries: CONNECT tunnels, as a
 * client opens for https URLs, and absolute-form requests, as curl sends for http URLs. For
 * testing a client's HTTPS_PROXY / HTTP_PROXY / NO_PROXY handling against the emulator.
 */
export async function startCountingProxy(options: CountingProxyOptions = {}): Promise<CountingProxy> {
  const route = options.route ?? ((host: string, port: number) => ({ host, port }));
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    forwarded.push(target.href);
    const to = route(target.hostname, Number(target.port || 80));
    const upstream = http.request(
      { host: to.host, port: to.port, method: request.method, path: `${target.pathname}${target.search}`, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const asked = request.url ?? '';
    tunnels.push(asked);
    const separator = asked.lastIndexOf(':');
    const to = route(asked.slice(0, separator), Number(asked.slice(separator + 1)));
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    // A tunnel ends with either side (stop() closes the client's).
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  const { url, stop } = await listenLocally(server);
  return { url, tunnels, forwarded, stop };
}
