import { createParamDecorator } from '@nestjs/common';
import { RequestContext } from '@kailash/backbone';

/** The authenticated caller (an API key's name), for a handler on either transport to record as actor. */
export const Principal = createParamDecorator((_: unknown) => {
  const principal = RequestContext.current()?.principal;
  // The guard sets it for every change; a handler asking for it without one is a wiring fault.
  if (!principal) throw new Error('no authenticated principal in this request');
  return principal;
});

/** The request's correlation id (HTTP request id or NATS envelope), to stamp on the events it causes. */
export const CorrelationId = createParamDecorator((_: unknown) => RequestContext.current()?.correlationId);
