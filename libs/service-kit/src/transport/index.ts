export { NatsEnvelopeServer } from './nats-envelope.server';
export type { NatsEnvelopeServerOptions } from './nats-envelope.server';
export { NatsEnvelopeClient } from './nats-envelope.client';
export { NatsRequestContext } from './nats-request.context';
export {
  NATS_ENVELOPE_TRANSPORT,
  NatsRequest,
  REQUEST_DEFINITION,
  requestPattern,
} from './nats-request.decorator';
export { RequestDataPipe } from './request-data.pipe';
