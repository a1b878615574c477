import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { RequestContext, SEQUENCE_HEADERS } from '@kailash/backbone';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';

/**
 * After an HTTP handler, reports the stream sequence of the last event it appended as
 * `kailash-sequence`, so the caller can read its own write. (Over NATS the transport puts it in the
 * reply's `sequence` field.)
 */
@Injectable()
export class SequenceInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = RequestContext.current();
    if (context.getType() !== 'http' || !scope) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap(() => {
        if (scope.lastSequence !== undefined && !response.headersSent)
          response.setHeader(SEQUENCE_HEADERS.sequence, String(scope.lastSequence));
      }),
    );
  }
}
