import type { PipeTransform } from '@nestjs/common';
import type { GetAlertsQuery } from '@kailash/contracts';
import { getAlertsSchema, KailashError, parseWith } from '@kailash/contracts';

/** The parameters GET /alerts takes (its QueryParameters guard refuses any other name). */
export const ALERTS_PARAMETERS = ['state', 'severity', 'edgeId', 'ruleId', 'from', 'to', 'limit'] as const;

/** Query strings carry text: `limit` becomes a number, then the NATS query's schema validates it all. */
export const alertsQueryPipe: PipeTransform<Record<string, unknown>, GetAlertsQuery> = {
  transform(raw) {
    // No prototype: a parameter called __proto__ must stay a parameter the schema refuses.
    const query: Record<string, unknown> = Object.create(null);
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (Array.isArray(value))
        throw new KailashError('VALIDATION_FAILED', `invalid query: ${key}: give it once`, {
          issues: [{ field: key, message: 'give it once' }],
        });
      query[key] =
        key === 'limit' && typeof value === 'string'
          ? value.trim() === ''
            ? Number.NaN
            : Number(value)
          : value;
    }
    return parseWith(getAlertsSchema, { ...query }, 'query');
  },
};
