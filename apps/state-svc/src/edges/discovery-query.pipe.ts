import type { PipeTransform } from '@nestjs/common';
import { edgeDiscoverySchema, KailashError, parseWith } from '@kailash/contracts';
import type { EdgeDiscoveryQuery } from '@kailash/contracts';

/** The parameters discovery takes (the route's QueryParameters guard refuses any other name). */
export const DISCOVERY_PARAMETERS = [
  'region',
  'zone',
  'capability',
  'tag',
  'lifecycle',
  'near',
  'radiusKm',
  'limit',
  'offset',
] as const;
const KNOWN = new Set<string>(DISCOVERY_PARAMETERS);

/**
 * Query strings carry only text: this turns `near=lat,lon`, `radiusKm`, `limit` and `offset` into
 * numbers, then validates with the same schema the NATS query uses (non-finite, subnormal or
 * out-of-range numbers are refused naming the parameter).
 */
export const discoveryQueryPipe: PipeTransform<Record<string, unknown>, EdgeDiscoveryQuery> = {
  transform(raw) {
    // No prototype: a parameter called __proto__ must stay a parameter the schema refuses.
    const query: Record<string, unknown> = Object.create(null);
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (Array.isArray(value)) throw invalid(key, 'give it once');
      query[key] = KNOWN.has(key) ? convert(key, value) : value;
    }
    return parseWith(edgeDiscoverySchema, { ...query }, 'query');
  },
};

function convert(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key === 'near') {
    const parts = value.split(',');
    if (parts.length !== 2) throw invalid('near', 'must be lat,lon');
    return { lat: toNumber(parts[0] ?? ''), lon: toNumber(parts[1] ?? '') };
  }
  return ['radiusKm', 'limit', 'offset'].includes(key) ? toNumber(value) : value;
}

const toNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function invalid(field: string, message: string): KailashError {
  return new KailashError('VALIDATION_FAILED', `invalid query: ${field}: ${message}`, {
    issues: [{ field, message }],
  });
}
