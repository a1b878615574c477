import type { Logger } from '@nestjs/common';
import type { BackboneLogger } from '@kailash/backbone';

/** The backbone's logger interface on a Nest logger (pino underneath), message as `msg`. */
export const backboneLogger = (logger: Logger): BackboneLogger => ({
  info: (message, meta) => logger.log({ ...meta, msg: message }),
  warn: (message, meta) => logger.warn({ ...meta, msg: message }),
  error: (message, meta) => logger.error({ ...meta, msg: message }),
});
