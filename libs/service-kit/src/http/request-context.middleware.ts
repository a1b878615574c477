import type { MiddlewareConsumer, NestMiddleware, NestModule } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import { RequestContext, SEQUENCE_HEADERS } from '@kailash/backbone';
import { KailashError } from '@kailash/contracts';
import type { NextFunction, Request, Response } from 'express';

/**
 * Opens the request scope for an HTTP request: its correlation id (the request id), the minimum
 * sequence the caller asks to read (`kailash-min-sequence`), and, on the way out, the sequence of
 * the last event the request appended (`kailash-sequence`), for the caller's next read.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const minSequence = minSequenceOf(request.headers[SEQUENCE_HEADERS.minSequence]);
    const id = (request as { id?: unknown }).id;
    const scope = {
      ...(typeof id === 'string' ? { correlationId: id } : {}),
      ...(minSequence === undefined ? {} : { minSequence }),
    } as Parameters<typeof RequestContext.run>[0];
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => Response;
    response.writeHead = ((...args: unknown[]) => {
      if (scope.lastSequence !== undefined && !response.headersSent)
        response.setHeader(SEQUENCE_HEADERS.sequence, String(scope.lastSequence));
      return writeHead(...args);
    }) as Response['writeHead'];
    RequestContext.run(scope, next);
  }
}

function minSequenceOf(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new KailashError(
      'VALIDATION_FAILED',
      `${SEQUENCE_HEADERS.minSequence}: must be a non-negative integer`,
      {
        issues: [{ field: SEQUENCE_HEADERS.minSequence, message: 'must be a non-negative integer' }],
      },
    );
  return Number(text);
}

/** Applies RequestContextMiddleware to every route. */
@Module({ providers: [RequestContextMiddleware] })
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*');
  }
}
