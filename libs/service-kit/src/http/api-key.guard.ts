import { timingSafeEqual } from 'node:crypto';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext } from '@kailash/backbone';
import type { RequestDefinition } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { Request } from 'express';
import type { ApiKey } from '../config/api-keys';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../config/tokens';
import { HealthController } from '../health/health.controller';
import { MetricsController } from '../metrics/metrics.controller';
import { NatsRequestContext } from '../transport/nats-request.context';
import { REQUEST_DEFINITION } from '../transport/nats-request.decorator';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Probes and scrapers carry no key; what they show is not the fleet's data. (`/docs` is not a route.) */
const OPEN_CONTROLLERS = new Set<unknown>([HealthController, MetricsController]);

/**
 * One check for both transports: a change (HTTP POST/PUT/PATCH/DELETE, a NATS command) needs a key
 * from API_KEYS as `Authorization: Bearer <key>` — an HTTP header, or a NATS message header; a read
 * (GET, a NATS query) needs one too unless READ_AUTH=open. The key's name becomes the request's
 * principal, the actor history records.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: readonly { readonly name: string; readonly key: Buffer }[];
  private readonly readsOpen: boolean;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.API_KEYS.map(({ name, key }: ApiKey) => ({ name, key: Buffer.from(key) }));
    this.readsOpen = config.READ_AUTH === 'open';
  }

  canActivate(context: ExecutionContext): boolean {
    const { credential, isRead } = this.requestOf(context) ?? {};
    if (isRead === undefined || OPEN_CONTROLLERS.has(context.getClass())) return true;
    if (credential === undefined) {
      if (isRead && this.readsOpen) return true;
      throw new KailashError(
        'UNAUTHORIZED',
        `Authorization: Bearer <api key> is required for ${isRead ? 'reads' : 'changes'}`,
      );
    }
    const principal = this.principalOf(Buffer.from(credential));
    if (!principal) throw new KailashError('UNAUTHORIZED', 'the API key is not valid');
    const scope = RequestContext.current();
    if (scope) scope.principal = principal;
    return true;
  }

  private requestOf(context: ExecutionContext): { credential?: string; isRead: boolean } | undefined {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      return {
        credential: /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1],
        isRead: SAFE_METHODS.has(request.method),
      };
    }
    if (context.getType() === 'rpc') {
      const rpc = context.switchToRpc().getContext<unknown>();
      const definition = this.reflector.get<RequestDefinition | undefined>(
        REQUEST_DEFINITION,
        context.getHandler(),
      );
      if (!(rpc instanceof NatsRequestContext) || !definition) return undefined;
      return { credential: rpc.getCredential(), isRead: definition.kind === 'query' };
    }
    return undefined;
  }

  private principalOf(presented: Buffer): string | undefined {
    // Compare against every key without an early exit, so timing says nothing about which matched.
    let found: string | undefined;
    for (const { name, key } of this.keys) {
      if (key.length === presented.length && timingSafeEqual(key, presented)) found = name;
    }
    return found;
  }
}
