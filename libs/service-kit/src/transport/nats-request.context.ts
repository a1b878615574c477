import { BaseRpcContext } from '@nestjs/microservices';
import { bearerCredential } from '@kailash/backbone';
import type { RequestDefinition, RequestEnvelope } from '@kailash/contracts';
import type { Msg } from '@nats-io/transport-node';

type NatsRequestArgs = [msg: Msg, envelope: RequestEnvelope, definition: RequestDefinition];

/** What a guard, interceptor or `@Ctx()` parameter sees of a NATS request. */
export class NatsRequestContext extends BaseRpcContext<NatsRequestArgs> {
  getSubject(): string {
    return this.args[0].subject;
  }

  getMessage(): Msg {
    return this.args[0];
  }

  getEnvelope(): RequestEnvelope {
    return this.args[1];
  }

  getDefinition(): RequestDefinition {
    return this.args[2];
  }

  /** The API key of `Authorization: Bearer <key>`, if the message carries one. */
  getCredential(): string | undefined {
    return bearerCredential(this.args[0].headers);
  }
}
