import { ClientProxy } from '@nestjs/microservices';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import type { RequestClient, SendOptions } from '@kailash/backbone';
import type { RequestDefinition } from '@kailash/contracts';
import type { Observable } from 'rxjs';
import type { z } from 'zod';

/**
 * Nest's `ClientProxy` for our NATS transport: `client.send(RegisterEdge, data)` is an Observable
 * of the validated result, or fails with the reply's KailashError. The wire format (envelope,
 * credential header, reply parsing) is the backbone's RequestClient, so Nest and non-Nest callers
 * speak the same protocol over the same connection.
 */
export class NatsEnvelopeClient extends ClientProxy {
  constructor(
    private readonly requests: RequestClient,
    private readonly sendOptions: SendOptions = {},
  ) {
    super();
  }

  /** Typed `send`: the pattern is a request definition of the contracts. */
  request<D extends RequestDefinition>(
    definition: D,
    data: z.input<D['data']>,
  ): Observable<z.output<D['result']>> {
    return this.send(definition, data);
  }

  /** The connection belongs to the service (NATS_CONNECTION); there is nothing to open. */
  connect(): Promise<void> {
    return Promise.resolve();
  }

  /** …nor to close: the service drains its connection at shutdown. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  unwrap<T>(): T {
    return this.requests as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let cancelled = false;
    this.requests.send(packet.pattern as RequestDefinition, packet.data, this.sendOptions).then(
      (response: unknown) => cancelled || callback({ response, isDisposed: true }),
      (err: unknown) => cancelled || callback({ err, isDisposed: true }),
    );
    // NATS request/reply cannot be withdrawn once sent; unsubscribing only drops the answer.
    return () => (cancelled = true);
  }

  protected dispatchEvent(): Promise<never> {
    return Promise.reject(
      new Error('events travel on JetStream through the EventPublisher, not this client'),
    );
  }
}
