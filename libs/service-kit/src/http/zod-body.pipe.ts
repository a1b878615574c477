import type { PipeTransform } from '@nestjs/common';
import { parseWith } from '@kailash/contracts';
import type { z } from 'zod';

/**
 * Validates a body, param or query with the message's own schema; 400 names the field. For a
 * single value (a path parameter) `what` is its name, and errors name it rather than `(root)`;
 * a body that is not the expected shape at all is named `(body)`, as the body parser names it.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    return parseWith(this.schema, value, this.what, this.what === 'body' ? '(body)' : this.what);
  }
}
