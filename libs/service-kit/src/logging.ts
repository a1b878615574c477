import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { ServiceConfig } from './config/service-config';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** pino JSON logs; every request line carries a correlation id, taken from the caller or minted. */
export function loggerParams(config: ServiceConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service: config.service, instance: config.instanceId },
      genReqId: (request, response) => {
        const given = request.headers[CORRELATION_HEADER];
        const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
        response.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      // Every line logged while serving a request names it, so one request's lines can be found together.
      customProps: (request) => ({ correlationId: request.id }),
      redact: ['req.headers.authorization'],
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
    },
  };
}
