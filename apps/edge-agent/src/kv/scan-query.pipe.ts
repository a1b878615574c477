import type { PipeTransform } from '@nestjs/common';
import { KailashError, kvScanSchema, parseWith } from '@kailash/contracts';
import type { z } from 'zod';

export const SCAN_PARAMETERS = ['prefix', 'after', 'limit'] as const;

/** Query strings carry only text: `limit` becomes a number, then the NATS query's schema decides. */
export const scanQueryPipe: PipeTransform<Record<string, unknown>, z.output<typeof kvScanSchema>> = {
  transform(raw) {
    const query: Record<string, unknown> = Object.create(null);
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (Array.isArray(value))
        throw new KailashError('VALIDATION_FAILED', `invalid query: ${key}: give it once`, {
          issues: [{ field: key, message: 'give it once' }],
        });
      query[key] = key === 'limit' && typeof value === 'string' ? toNumber(value) : value;
    }
    return parseWith(kvScanSchema, { ...query }, 'query');
  },
};

const toNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
