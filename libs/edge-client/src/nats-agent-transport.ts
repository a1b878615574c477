import { credentialHeaders } from '@kailash/backbone';
import type { ErrorCode } from '@kailash/contracts';
import { KailashError, SubjectSpace } from '@kailash/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import { errors } from '@nats-io/transport-node';
import type { AgentTransport } from './routing';

export interface NatsAgentTransportOptions {
  readonly namespace: string;
  /** API key sent as `Authorization: Bearer <key>`, as every service's NATS requests carry it. */
  readonly credential?: string;
  readonly timeoutMs?: number;
}

/**
 * Requests to one agent on `<ns>.edge.<edgeId>.<operation>`, with the request envelope and reply
 * shape every service uses. An agent that is not there (no responders) answers UNAVAILABLE, one
 * that does not answer in time TIMEOUT, so the client can look elsewhere.
 */
export class NatsAgentTransport implements AgentTransport {
  private readonly subjects: SubjectSpace;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: NatsAgentTransportOptions,
  ) {
    this.subjects = new SubjectSpace(options.namespace);
  }

  /** `operation` is the name of an agent request definition: `kv.get`, `workload.invoke`, … */
  subject(edgeId: string, operation: string): string {
    return this.subjects.edgeRequest(edgeId, operation);
  }

  async request(edgeId: string, operation: string, data: unknown): Promise<unknown> {
    const subject = this.subject(edgeId, operation);
    let reply: unknown;
    try {
      const msg = await this.nc.request(subject, JSON.stringify({ data }), {
        timeout: this.options.timeoutMs ?? 5000,
        ...(this.options.credential ? { headers: credentialHeaders(this.options.credential) } : {}),
      });
      reply = msg.json();
    } catch (error) {
      throw transportError(error, edgeId, subject);
    }
    return unwrap(reply, subject);
  }
}

function transportError(error: unknown, edgeId: string, subject: string): KailashError {
  if (error instanceof errors.RequestError && error.isNoResponders())
    return new KailashError('UNAVAILABLE', `edge ${edgeId} does not answer on ${subject}`, { edgeId });
  if (
    error instanceof errors.TimeoutError ||
    (error instanceof Error && error.cause instanceof errors.TimeoutError)
  )
    return new KailashError('TIMEOUT', `edge ${edgeId} did not answer on ${subject} in time`, { edgeId });
  return new KailashError('UNAVAILABLE', `request to ${subject} failed: ${(error as Error).message}`, {
    edgeId,
  });
}

interface ReplyShape {
  ok?: unknown;
  data?: unknown;
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** `{ok: true, data}` → data; `{ok: false, error}` → the KailashError it describes. */
function unwrap(reply: unknown, subject: string): unknown {
  const shape = (reply ?? {}) as ReplyShape;
  if (shape.ok === true) return shape.data;
  if (shape.ok === false && typeof shape.error?.code === 'string')
    throw new KailashError(
      shape.error.code as ErrorCode,
      String(shape.error.message ?? ''),
      shape.error.details,
    );
  throw new KailashError('INTERNAL', `${subject} answered something that is not a reply`);
}
