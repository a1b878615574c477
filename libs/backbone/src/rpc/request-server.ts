import type { Reply, RequestDefinition, RequestEnvelope, SubjectSpace } from '@kailash/contracts';
import { isKailashError, KailashError, parseWith, requestEnvelopeSchema } from '@kailash/contracts';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import type { BackboneLogger } from '../logger';
import { silentLogger } from '../logger';

export type RequestHandler<D extends RequestDefinition> = (
  data: z.output<D['data']>,
  request: RequestEnvelope<z.output<D['data']>>,
) => Promise<z.input<D['result']>>;

export interface RequestServerOptions {
  readonly nc: NatsConnection;
  readonly subjects: SubjectSpace;
  /** Queue group: instances of one service share the requests. */
  readonly queue: string;
  readonly maxPayloadBytes?: number;
  /** Requests served at once per instance; beyond it a request is answered UNAVAILABLE at once. */
  readonly maxInFlight?: number;
  readonly logger?: BackboneLogger;
}

/**
 * Serves commands and queries over NATS request/reply. Every reply is `{ok, data}` or
 * `{ok: false, error}`; bad input gets VALIDATION_FAILED naming the field, and no handler error
 * can escape and crash the process.
 */
export class RequestServer {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly logger: BackboneLogger;

  constructor(private readonly options: RequestServerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  handle<D extends RequestDefinition>(definition: D, handler: RequestHandler<D>): void {
    const subject =
      definition.kind === 'command'
        ? this.options.subjects.command(definition.domain, definition.name)
        : this.options.subjects.query(definition.domain, definition.name);
    const subscription = this.options.nc.subscribe(subject, {
      queue: this.options.queue,
      callback: (error, msg) => {
        if (error) return this.logger.error('request subscription failed', { subject, error: String(error) });
        // A reply can fail (connection closing mid-request); that must never become an unhandled rejection.
        const work = this.serve(definition, handler, msg)
          .catch((failure: unknown) => this.logger.warn('could not reply', { subject, error: String(failure) }))
          .finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      },
    });
    this.subscriptions.push(subscription);
  }

  /** Stops taking requests and waits for the ones being served. */
  async drain(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
    await Promise.all([...this.inFlight]);
  }

  private async serve<D extends RequestDefinition>(definition: D, handler: RequestHandler<D>, msg: Msg) {
    const reply = await this.replyFor(definition, handler, msg);
    if (msg.reply) msg.respond(JSON.stringify(reply));
  }

  private async replyFor<D extends RequestDefinition>(definition: D, handler: RequestHandler<D>, msg: Msg): Promise<Reply> {
    // Runs before this request joins inFlight: shed load rather than queue without bound.
    if (this.inFlight.size >= (this.options.maxInFlight ?? 256)) {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'too many requests in flight; retry shortly' } };
    }
    try {
      const request = this.parseRequest(msg);
      const data = parseWith<D['data']>(definition.data, request.data, `${definition.name} data`);
      const result = await handler(data, { ...request, data });
      return { ok: true, data: result };
    } catch (error) {
      if (isKailashError(error)) return { ok: false, error: error.toBody() };
      this.logger.error('request handler failed', { request: definition.name, error: String(error) });
      return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
    }
  }

  private parseRequest(msg: Msg): RequestEnvelope {
    const limit = this.options.maxPayloadBytes ?? 256 * 1024;
    if (msg.data.length > limit) {
      throw new KailashError('PAYLOAD_TOO_LARGE', `request of ${msg.data.length} bytes exceeds ${limit}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(msg.string());
    } catch {
      throw new KailashError('VALIDATION_FAILED', 'invalid request: (root): body is not JSON', {
        issues: [{ field: '(root)', message: 'not JSON' }],
      });
    }
    return parseWith(requestEnvelopeSchema, raw, 'request') as RequestEnvelope;
  }
}
