import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext } from '@kailash/backbone';
import type { Observable } from 'rxjs';
import { from, switchMap } from 'rxjs';
import { ProjectionHost } from '../messaging/projection-host';
import { projectionsReadBy } from './reads-projection.decorator';

/** How long a query waits for its projections before answering UNAVAILABLE (503). */
export const READ_YOUR_WRITES_WAIT_MS = 5_000;

/**
 * Read-your-writes for any transport: when the request scope carries `minSequence` (filled by the
 * HTTP or NATS transport from the caller's last reply), a handler declared with @ReadsProjection
 * runs only after those projections have applied that sequence, or fails with UNAVAILABLE naming
 * the projection once the wait runs out. Requests without a minimum sequence are not delayed.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    // A service without a database has no projections, so nothing to wait for.
    @Optional() private readonly projections?: ProjectionHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const minSequence = RequestContext.current()?.minSequence;
    const host = this.projections;
    if (minSequence === undefined || !host) return next.handle();
    const projections = projectionsReadBy(this.reflector, [context.getHandler(), context.getClass()]);
    if (projections.length === 0) return next.handle();
    const caughtUp = Promise.all(
      projections.map((projection) => host.waitFor(projection, minSequence, READ_YOUR_WRITES_WAIT_MS)),
    );
    return from(caughtUp).pipe(switchMap(() => next.handle()));
  }
}
