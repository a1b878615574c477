import type { ExecutionContext } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestScope } from '@kailash/backbone';
import { decodeRequest, errorReply, okReply, RequestContext } from '@kailash/backbone';
import type { Reply, RequestDefinition, RequestEnvelope } from '@kailash/contracts';
import { KailashError, parseWith } from '@kailash/contracts';
import { COORD_COMMANDS, leaderSubjectPrefix } from '@kailash/coordination-client';
import type { ServiceConfig } from '@kailash/service-kit';
import {
  ApiKeyGuard,
  NATS_CONNECTION,
  NatsRequestContext,
  REQUEST_DEFINITION,
  SERVICE_CONFIG,
  toErrorResponse,
} from '@kailash/service-kit';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import type { ReplicaSettings } from '../raft/replica';
import { CoordService } from './coord.service';
import { ReplicaHost } from './replica-host';
import { REPLICA_SETTINGS } from './tokens';

/** One queue group: while two replicas briefly both believe they lead, a request reaches only one. */
const LEADER_QUEUE = 'coordination-svc-leader';

/**
 * The leader's own request subjects, `<ns>.coord.cmd.at-leader.<op>`: only the replica that leads
 * subscribes (from becoming leader until it steps down), so a client that sends a write there skips
 * the follower hop; no subscriber (an election, or a group without this path) is NATS's "no
 * responders" at once, and the client falls back to the any-replica subjects. Each message gets what
 * the Nest path gives a `@NatsRequest`: the envelope and its size limit, the same API key guard, the
 * definition's schema (VALIDATION_FAILED names the field) and the same error replies.
 */
@Injectable()
export class LeaderRequests implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LeaderRequests.name);
  private readonly guard: ApiKeyGuard;
  private readonly byName = new Map<string, { definition: RequestDefinition; handler: () => void }>();
  private subscription: Subscription | undefined;
  private stopped = false;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REPLICA_SETTINGS) private readonly settings: ReplicaSettings,
    private readonly coord: CoordService,
    host: ReplicaHost,
  ) {
    this.guard = new ApiKeyGuard(config, new Reflector());
    for (const definition of COORD_COMMANDS) {
      // The guard reads the definition from its handler's metadata, as on a @NatsRequest method.
      const handler = () => undefined;
      Reflect.defineMetadata(REQUEST_DEFINITION, definition, handler);
      this.byName.set(definition.name, { definition, handler });
    }
    host.watchLeadership((leading) => this.setLeading(leading));
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    this.setLeading(false);
  }

  /** Serves the leader subjects while `leading`; idempotent. */
  private setLeading(leading: boolean): void {
    if (leading && !this.stopped && !this.subscription && !this.nc.isClosed()) {
      const prefix = leaderSubjectPrefix(this.settings.namespace);
      this.subscription = this.nc.subscribe(`${prefix}>`, {
        queue: LEADER_QUEUE,
        callback: (error, msg) => {
          if (error) return;
          void this.serve(msg, msg.subject.slice(prefix.length)).catch((failure: unknown) =>
            this.logger.warn(`could not reply on ${msg.subject}: ${String(failure)}`),
          );
        },
      });
    } else if (!leading && this.subscription) {
      this.subscription.unsubscribe();
      this.subscription = undefined;
    }
  }

  private async serve(msg: Msg, name: string): Promise<void> {
    const reply = await this.replyFor(msg, name);
    if (msg.reply) msg.respond(JSON.stringify(reply));
  }

  private async replyFor(msg: Msg, name: string): Promise<Reply> {
    try {
      const target = this.byName.get(name);
      if (!target) throw notFound(name);
      const envelope = decodeRequest(msg);
      const scope: RequestScope = {
        correlationId: envelope.correlationId ?? randomUUID(),
        minSequence: envelope.minSequence,
      };
      return await RequestContext.run(scope, async () => {
        this.guard.canActivate(executionContext(msg, envelope, target.definition, target.handler));
        const data = parseWith(target.definition.data, envelope.data, `${target.definition.name} data`);
        return okReply(await this.coord.propose(target.definition, data as never));
      });
    } catch (error) {
      return errorReply(toErrorResponse(error)[1]);
    }
  }
}

function notFound(name: string): KailashError {
  return new KailashError('NOT_FOUND', `no command ${name} is served on the leader's subjects`);
}

/** What the guard looks at: an RPC context holding the message, and the handler's definition. */
function executionContext(
  msg: Msg,
  envelope: RequestEnvelope,
  definition: RequestDefinition,
  handler: () => void,
): ExecutionContext {
  const rpc = new NatsRequestContext([msg, envelope, definition]);
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => rpc, getData: () => envelope.data }),
    getHandler: () => handler,
    getClass: () => LeaderRequests,
  } as unknown as ExecutionContext;
}
