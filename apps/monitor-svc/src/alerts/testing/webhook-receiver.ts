import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly path: string;
  readonly body: {
    ruleId: string;
    status: string;
    alerts: { labels: Record<string, string>; status: string }[];
  };
}

/**
 * A real HTTP receiver on a local port, for tests: `/ok` answers 200, `/fail` 500, and `/hang`
 * never answers (the sender's timeout must end it). Every POST is recorded, answered or not.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        if (path === '/hang') this.hanging.add(() => res.destroy());
        else res.writeHead(path === '/fail' ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  url(path: '/ok' | '/fail' | '/hang'): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  /** What one rule's notifications said, in order. */
  forRule(ruleId: string): ReceivedWebhook['body'][] {
    return this.received.filter((r) => r.body.ruleId === ruleId).map((r) => r.body);
  }

  async stop(): Promise<void> {
    for (const end of this.hanging) end();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
