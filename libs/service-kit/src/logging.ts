import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from '@kailash/backbone';
import type { Params } from 'nestjs-pino';
import type { ServiceConfig } from './config/service-config';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The request id of an HTTP request: the caller's `x-correlation-id` when well formed, else minted;
 * echoed in the response. Idempotent, so the logger and the RequestContext agree on one id.
 */
export function requestIdOf(request: IncomingMessage & { id?: unknown }, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  response.setHeader(CORRELATION_HEADER, id);
  request.id = id;
  return id;
}

/**
 * pino JSON logs. Every line written inside a request's RequestContext — an HTTP request or a NATS
 * message, in the handler or in any library it calls — carries that request's correlation id.
 */
export function loggerParams(config: ServiceConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service: config.service, instance: config.instanceId },
      genReqId: requestIdOf,
      mixin: () => {
        const correlationId = RequestContext.current()?.correlationId;
        return correlationId ? { correlationId } : {};
      },
      redact: ['req.headers.authorization'],
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
    },
  };
}
