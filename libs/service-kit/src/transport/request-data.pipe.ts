import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { RequestDefinition } from '@kailash/contracts';
import { parseWith } from '@kailash/contracts';

/** Validates a NATS request's `data` with its definition's schema; VALIDATION_FAILED names the field. */
export class RequestDataPipe implements PipeTransform {
  constructor(private readonly definition: RequestDefinition) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // `@Payload()` arrives as 'body'; the context and custom parameters pass untouched.
    if (metadata.type !== 'body') return value;
    return parseWith(this.definition.data, value, `${this.definition.name} data`);
  }
}
