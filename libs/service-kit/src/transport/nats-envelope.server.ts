import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { CustomTransportStrategy, MessageHandler } from '@nestjs/microservices';
import { Server } from '@nestjs/microservices';
import type { RequestScope } from '@kailash/backbone';
import {
  decodeRequest,
  DEFAULT_MAX_PAYLOAD_BYTES,
  errorReply,
  okReply,
  RequestContext,
  requestSubject,
} from '@kailash/backbone';
import type { Reply, RequestDefinition, RequestEnvelope, SubjectSpace } from '@kailash/contracts';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import { toErrorResponse } from '../http/error.filter';
import { NATS_ENVELOPE_TRANSPORT } from './nats-request.decorator';
import { NatsRequestContext } from './nats-request.context';

export interface NatsEnvelopeServerOptions {
  /** The service's one connection; the server never opens or closes it. */
  readonly nc: NatsConnection;
  readonly subjects: SubjectSpace;
  /** Queue group: instances of one service share the requests. */
  readonly queue: string;
  readonly maxPayloadBytes?: number;
  /** Requests served at once per instance; beyond it a request is answered UNAVAILABLE at once. */
  readonly maxInFlight?: number;
  /** Where a definition is served when not on `<ns>.<domain>.cmd|qry.<name>` (an edge agent's own subjects). */
  readonly subjectOf?: (definition: RequestDefinition) => string | undefined;
}

const DEFAULT_MAX_IN_FLIGHT = 256;

/**
 * A `@nestjs/microservices` transport serving `@NatsRequest` handlers over NATS request/reply with
 * our envelope and reply format. Each message runs through Nest's guards, pipes, interceptors and
 * filters like an HTTP request does, inside a RequestContext scope carrying its correlation id and
 * read-your-writes sequence. What Nest cannot see is done here, before the handler: the payload
 * limit, the envelope, and shedding load past `maxInFlight`.
 */
export class NatsEnvelopeServer extends Server implements CustomTransportStrategy {
  override readonly transportId = NATS_ENVELOPE_TRANSPORT;
  protected override readonly logger = new Logger('Nats');
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private draining: Promise<void> | undefined;

  constructor(private readonly options: NatsEnvelopeServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      for (const handler of this.messageHandlers.values()) this.subscribe(handler);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking requests and waits for the ones being served; safe to call more than once. */
  close(): Promise<void> {
    this.draining ??= (async () => {
      await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
      await Promise.all([...this.inFlight]);
    })();
    return this.draining;
  }

  /** Requests are served until drained; there are no server events to listen to. */
  on(): never {
    throw new Error('NatsEnvelopeServer emits no events');
  }

  unwrap<T>(): T {
    return this.options.nc as T;
  }

  private subscribe(handler: MessageHandler): void {
    const definition = (handler.extras as { definition?: RequestDefinition } | undefined)?.definition;
    if (!definition)
      throw new Error('a NATS handler needs @NatsRequest(definition), not a bare @MessagePattern');
    const subject = this.options.subjectOf?.(definition) ?? requestSubject(this.options.subjects, definition);
    const subscription = this.options.nc.subscribe(subject, {
      queue: this.options.queue,
      callback: (error, msg) => {
        if (error)
          return this.logger.error({ msg: 'request subscription failed', subject, error: String(error) });
        // A reply can fail (connection closing mid-request); that must never become an unhandled rejection.
        const work = this.serve(definition, handler, msg)
          .catch((failure: unknown) =>
            this.logger.warn({ msg: 'could not reply', subject, error: String(failure) }),
          )
          .finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      },
    });
    this.subscriptions.push(subscription);
  }

  private async serve(definition: RequestDefinition, handler: MessageHandler, msg: Msg): Promise<void> {
    const reply = await this.replyFor(definition, handler, msg);
    if (msg.reply) msg.respond(JSON.stringify(reply));
  }

  private async replyFor(definition: RequestDefinition, handler: MessageHandler, msg: Msg): Promise<Reply> {
    // Runs before this request joins inFlight: shed load rather than queue without bound.
    if (this.inFlight.size >= (this.options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)) {
      return errorReply({ code: 'UNAVAILABLE', message: 'too many requests in flight; retry shortly' });
    }
    let envelope: RequestEnvelope;
    try {
      envelope = decodeRequest(msg, this.options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
    } catch (error) {
      return errorReply(toErrorResponse(error)[1]);
    }
    const scope: RequestScope = {
      correlationId: envelope.correlationId ?? randomUUID(),
      minSequence: envelope.minSequence,
    };
    return RequestContext.run(scope, () => this.handle(definition, handler, msg, envelope, scope));
  }

  private async handle(
    definition: RequestDefinition,
    handler: MessageHandler,
    msg: Msg,
    envelope: RequestEnvelope,
    scope: RequestScope,
  ): Promise<Reply> {
    const started = performance.now();
    let reply: Reply;
    try {
      const result = await handler(envelope.data, new NatsRequestContext([msg, envelope, definition]));
      const data = await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      reply = okReply(data, scope.lastSequence);
    } catch (error) {
      // Nest's filters already mapped the error (ErrorFilter); anything else is still mapped, never leaked.
      reply = errorReply(toErrorResponse(error)[1]);
    }
    this.logger.log({
      msg: 'request completed',
      subject: msg.subject,
      principal: scope.principal,
      outcome: reply.ok ? 'ok' : reply.error.code,
      responseTimeMs: Math.round(performance.now() - started),
    });
    return reply;
  }
}
