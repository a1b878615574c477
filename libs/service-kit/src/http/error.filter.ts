import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@kailash/contracts';
import { isKailashError, KailashError } from '@kailash/contracts';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** One mapping from anything thrown to a status and our error body, for HTTP and NATS alike. */
export function toErrorResponse(exception: unknown): [number, ErrorBody] {
  if (isKailashError(exception)) return [exception.httpStatus, exception.toBody()];
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return [
      status,
      {
        code: STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'),
        message: exception.message,
      },
    ];
  }
  // Express and its middleware signal a client's mistake with an http-errors status: keep it a 4xx.
  const clientError = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (
    typeof clientError.status === 'number' &&
    clientError.status >= 400 &&
    clientError.status < 500 &&
    clientError.expose === true
  ) {
    const status = clientError.status;
    return [
      status,
      { code: STATUS_CODES[status] ?? 'VALIDATION_FAILED', message: String(clientError.message) },
    ];
  }
  return [500, { code: 'INTERNAL', message: 'internal error' }];
}

/**
 * Every error leaves with the codes of the contracts: over HTTP as `{error: {code, message, details}}`
 * with the matching status; over NATS as a KailashError the transport turns into `{ok: false, error}`.
 * Internal details never leave: anything unknown is INTERNAL, and logged here.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() === 'rpc') return this.catchRpc(exception);
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      // Health checks answer 503 with terminus' per-indicator report; keep it as it is.
      response.status(503).json(exception.getResponse());
      return;
    }
    const [status, body] = toErrorResponse(exception);
    if (status >= 500) this.logger.error({ err: exception, msg: 'request failed' });
    response.status(status).json({ error: body });
  }

  private catchRpc(exception: unknown): Observable<never> {
    const [status, body] = toErrorResponse(exception);
    if (status >= 500) this.logger.error({ err: exception, msg: 'request failed' });
    return throwError(() => KailashError.fromBody(body));
  }
}
