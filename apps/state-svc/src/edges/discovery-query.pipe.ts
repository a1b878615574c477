import type { PipeTransform } from '@nestjs/common';
import { edgeDiscoverySchema, KailashError, parseWith } from '@kailash/contracts';
import type { EdgeDiscoveryQuery } from '@kailash/contracts';

const KNOWN = new Set(['region', 'zone', 'capability', 'tag', 'lifecycle', 'near', 'radiusKm', 'limit', 'offset']);

/**
 * Query strings carry only text: this turns `near=lat,lon`, `radiusKm`, `limit` and `offset` into
 * numbers, then validates with the same schema the NATS query uses (unknown parameters are refused).
 */
export const discoveryQueryPipe: PipeTransform<Record<string, unknown>, EdgeDiscoveryQuery> = {
  transform(raw) {
    const query: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (Array.isArray(value)) throw invalid(key, 'give it once');
      query[key] = KNOWN.has(key) ? convert(key, value) : value;
    }
    return parseWith(edgeDiscoverySchema, query, 'query');
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
  return new KailashError('VALIDATION_FAILED', `invalid query: ${field}: ${message}`, { issues: [{ field, message }] });
}
