import type { RequestDefinition, SubjectSpace } from '@kailash/contracts';
import { KailashError, parseWith, replySchema } from '@kailash/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';

export interface SendOptions {
  readonly timeoutMs?: number;
  readonly correlationId?: string;
  readonly actor?: string;
}

/** Sends a command or query and turns an error reply back into a KailashError. */
export class RequestClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: SubjectSpace,
  ) {}

  async send<D extends RequestDefinition>(
    definition: D,
    data: z.input<D['data']>,
    options: SendOptions = {},
  ): Promise<z.output<D['result']>> {
    const reply = await this.sendRaw(this.subjectOf(definition), { data, ...withoutUndefined(options) }, options);
    return parseWith<D['result']>(definition.result, reply, `${definition.name} result`);
  }

  /** For callers (and tests) that need to put arbitrary bytes on the wire. */
  async sendRaw(subject: string, body: unknown, options: SendOptions = {}): Promise<unknown> {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const msg = await this.nc.request(subject, payload, { timeout: options.timeoutMs ?? 5000 });
    const reply = parseWith(replySchema, msg.json(), 'reply');
    if (!reply.ok) {
      throw new KailashError(reply.error.code as KailashError['code'], reply.error.message, reply.error.details);
    }
    return reply.data;
  }

  subjectOf(definition: RequestDefinition): string {
    return definition.kind === 'command'
      ? this.subjects.command(definition.domain, definition.name)
      : this.subjects.query(definition.domain, definition.name);
  }
}

function withoutUndefined(options: SendOptions): Record<string, string> {
  const fields: Record<string, string> = {};
  if (options.correlationId) fields['correlationId'] = options.correlationId;
  if (options.actor) fields['actor'] = options.actor;
  return fields;
}
