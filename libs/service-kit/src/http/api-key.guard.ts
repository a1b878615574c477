import { timingSafeEqual } from 'node:crypto';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { KailashError } from '@kailash/contracts';
import type { Request } from 'express';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../config/tokens';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every mutating HTTP request needs `Authorization: Bearer <key>` with a key from API_KEYS. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.keys = config.API_KEYS.map((key) => Buffer.from(key));
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(request.method)) return true;
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) throw new KailashError('UNAUTHORIZED', 'Authorization: Bearer <api key> is required for changes');
    if (!this.matches(Buffer.from(presented))) throw new KailashError('UNAUTHORIZED', 'the API key is not valid');
    return true;
  }

  private matches(presented: Buffer): boolean {
    // Compare against every key without an early exit, so timing says nothing about which matched.
    let found = false;
    for (const key of this.keys) {
      if (key.length === presented.length && timingSafeEqual(key, presented)) found = true;
    }
    return found;
  }
}
