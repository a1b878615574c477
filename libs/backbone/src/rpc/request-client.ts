import type { RequestDefinition, SubjectSpace } from '@kailash/contracts';
import { KailashError, parseWith, replySchema } from '@kailash/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { credentialHeaders, requestSubject } from './request-message';

export interface RequestClientOptions {
  /** API key sent as `Authorization: Bearer <key>` with every request (see AUTHORIZATION_HEADER). */
  readonly credential?: string;
}

export interface SendOptions {
  readonly timeoutMs?: number;
  readonly correlationId?: string;
  /** Read-your-writes: the server answers only after applying this stream sequence. */
  readonly minSequence?: number;
}

export interface Answer<Data> {
  readonly data: Data;
  /** Stream sequence of the last event the request appended, when it appended one. */
  readonly sequence?: number;
}

/** Sends a command or query and turns an error reply back into a KailashError. */
export class RequestClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: SubjectSpace,
    private readonly options: RequestClientOptions = {},
  ) {}

  /** The same client speaking with another credential (or none). */
  as(credential: string | undefined): RequestClient {
    return new RequestClient(this.nc, this.subjects, { ...this.options, credential });
  }

  async send<D extends RequestDefinition>(
    definition: D,
    data: z.input<D['data']>,
    options: SendOptions = {},
  ): Promise<z.output<D['result']>> {
    return (await this.ask(definition, data, options)).data;
  }

  /** Like `send`, with the stream sequence the reply reports. */
  async ask<D extends RequestDefinition>(
    definition: D,
    data: z.input<D['data']>,
    options: SendOptions = {},
  ): Promise<Answer<z.output<D['result']>>> {
    const answer = await this.exchange(this.subjectOf(definition), envelope(data, options), options);
    return {
      ...answer,
      data: parseWith<D['result']>(definition.result, answer.data, `${definition.name} result`),
    };
  }

  /** Like `send`, to a subject of the callee's own (an edge agent's `<ns>.edge.<edgeId>.<name>`). */
  async sendTo<D extends RequestDefinition>(
    subject: string,
    definition: D,
    data: z.input<D['data']>,
    options: SendOptions = {},
  ): Promise<z.output<D['result']>> {
    const answer = await this.exchange(subject, envelope(data, options), options);
    return parseWith<D['result']>(definition.result, answer.data, `${definition.name} result`);
  }

  /** For callers (and tests) that need to put arbitrary bytes on the wire. */
  async sendRaw(subject: string, body: unknown, options: SendOptions = {}): Promise<unknown> {
    return (await this.exchange(subject, body, options)).data;
  }

  subjectOf(definition: RequestDefinition): string {
    return requestSubject(this.subjects, definition);
  }

  private async exchange(subject: string, body: unknown, options: SendOptions): Promise<Answer<unknown>> {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const msg = await this.nc.request(subject, payload, {
      timeout: options.timeoutMs ?? 5000,
      ...(this.options.credential ? { headers: credentialHeaders(this.options.credential) } : {}),
    });
    const reply = parseWith(replySchema, msg.json(), 'reply');
    if (!reply.ok) {
      throw new KailashError(
        reply.error.code as KailashError['code'],
        reply.error.message,
        reply.error.details,
      );
    }
    return reply.sequence === undefined
      ? { data: reply.data }
      : { data: reply.data, sequence: reply.sequence };
  }
}

function envelope(data: unknown, options: SendOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = { data };
  if (options.correlationId) fields['correlationId'] = options.correlationId;
  if (options.minSequence !== undefined) fields['minSequence'] = options.minSequence;
  return fields;
}
