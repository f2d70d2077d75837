import type { ServerResponse } from 'node:http';

/**
 * A server-sent events response as fal writes it: `data: <json>` events and `: ping`
 * comments that keep proxies from closing an idle connection.
 */
export class EventStream {
  private readonly pingTimer: NodeJS.Timeout;
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly response: ServerResponse,
    pingInterval: number,
  ) {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    // Send the headers now: a client waits for them before it reads any event.
    response.flushHeaders();
    this.pingTimer = setInterval(() => this.write(': ping\n\n'), pingInterval);
    response.on('close', () => this.markClosed());
  }

  /** Sends one event with `data` (the job's status as JSON text), a `data:` line per line of it. */
  sendData(data: string): void {
    this.write(`${data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join('')}\n`);
  }

  /** Runs when the stream ends, whether we closed it or the client went away. */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.response.end();
    this.markClosed();
  }

  private write(text: string): void {
    if (!this.closed) this.response.write(text);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
