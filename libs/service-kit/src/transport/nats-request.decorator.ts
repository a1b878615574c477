import { applyDecorators, SetMetadata, UsePipes } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { RequestDefinition } from '@kailash/contracts';
import { RequestDataPipe } from './request-data.pipe';

/** Identifies this transport, so its patterns are never served by another strategy and vice versa. */
export const NATS_ENVELOPE_TRANSPORT = Symbol('NATS_ENVELOPE_TRANSPORT');
export const REQUEST_DEFINITION = 'kailash:request-definition';

/** Namespace-free pattern, e.g. `state.cmd.edge.register`; the server prefixes `<ns>.` at listen time. */
export function requestPattern(definition: RequestDefinition): string {
  return `${definition.domain}.${definition.kind === 'command' ? 'cmd' : 'qry'}.${definition.name}`;
}

/**
 * Serves a command or query of the contracts over NATS: the handler's `@Payload()` is the request's
 * `data`, validated by the definition's schema. The subject depends on KAILASH_NAMESPACE, which is
 * known only at run time, so the pattern carries the definition and the server resolves the subject
 * when it starts listening.
 */
export function NatsRequest(definition: RequestDefinition): MethodDecorator {
  return applyDecorators(
    MessagePattern(requestPattern(definition), NATS_ENVELOPE_TRANSPORT, { definition }),
    SetMetadata(REQUEST_DEFINITION, definition),
    UsePipes(new RequestDataPipe(definition)),
  );
}
