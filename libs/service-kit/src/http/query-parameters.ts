import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { fieldKey, KailashError } from '@kailash/contracts';
import type { Request } from 'express';
import type { z } from 'zod';

const QUERY_PARAMETERS = 'kailash:query-parameters';

/**
 * The query parameters a route takes, from the schema that validates them (or as names). A route
 * without it takes none: every route refuses parameters it does not know, naming them.
 */
export const QueryParameters = (from: z.ZodObject | readonly string[]) =>
  SetMetadata(QUERY_PARAMETERS, Array.isArray(from) ? [...from] : Object.keys((from as z.ZodObject).shape));

/**
 * Checks the names in the raw query string rather than the parsed object: a parser drops
 * `__proto__` and friends silently, and a name that is silently dropped is a parameter ignored.
 */
@Injectable()
export class QueryParametersGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const allowed =
      this.reflector.getAllAndOverride<readonly string[] | undefined>(QUERY_PARAMETERS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const names = queryNames(context.switchToHttp().getRequest<Request>().originalUrl);
    const unknown = names.filter((name) => !allowed.includes(name)).map(fieldKey);
    if (unknown.length === 0) return true;
    const message =
      allowed.length > 0
        ? `unknown parameter (this route takes ${allowed.join(', ')})`
        : 'unknown parameter (this route takes none)';
    throw new KailashError('VALIDATION_FAILED', `invalid query: ${unknown.join(', ')}: ${message}`, {
      issues: unknown.map((field) => ({ field, message })),
    });
  }
}

function queryNames(url: string): string[] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return [...new Set(new URLSearchParams(url.slice(at + 1)).keys())];
}
