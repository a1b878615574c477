import { RequestContext, SEQUENCE_HEADERS } from '@kailash/backbone';
import { KailashError } from '@kailash/contracts';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from '../logging';
import { toErrorResponse } from '../http/error.filter';

/**
 * Opens the RequestContext scope of an HTTP request: its correlation id is the request id the logs
 * carry, and `kailash-min-sequence` asks a read to wait for a write the caller made. Mounted after
 * the body parser, so the scope is the one the handler's continuations run in.
 */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.headers[SEQUENCE_HEADERS.minSequence];
  let minSequence: number | undefined;
  if (given !== undefined) {
    minSequence = Number(given);
    if (typeof given !== 'string' || !/^\d{1,16}$/.test(given) || !Number.isSafeInteger(minSequence)) {
      const message = `${SEQUENCE_HEADERS.minSequence}: must be a stream sequence (a non-negative integer)`;
      const [status, body] = toErrorResponse(
        new KailashError('VALIDATION_FAILED', `invalid header ${message}`, {
          issues: [{ field: SEQUENCE_HEADERS.minSequence, message }],
        }),
      );
      response.status(status).json({ error: body });
      return;
    }
  }
  RequestContext.run({ correlationId: requestIdOf(request, response), minSequence }, next);
}
