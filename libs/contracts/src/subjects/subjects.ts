import { KailashError } from '../errors';

/**
 * Subject and stream names (docs/architecture.md). Every token is checked so an id can never smuggle a
 * `.`, `*`, `>` or whitespace into a subject and widen what a subscriber or a concurrency check sees.
 */

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
// No '-': stream names map it to '_', so 'a-b' and 'a_b' would share streams.
const NAMESPACE = /^[a-z][a-z0-9_]{0,31}$/;
const DOMAIN = /^[a-z][a-z0-9-]{0,31}$/;
const DOTTED_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

export const DOMAINS = ['state', 'coord', 'warming', 'monitor', 'migration', 'resource'] as const;
export type Domain = (typeof DOMAINS)[number];

export function subjectToken(value: unknown, field: string): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new KailashError(
      'VALIDATION_FAILED',
      `${field} must be 1-128 characters of A-Z a-z 0-9 _ - (got ${JSON.stringify(value)})`,
      { issues: [{ field, message: 'not a valid subject token' }] },
    );
  }
  return value;
}

function checked(value: string, pattern: RegExp, field: string, rule: string): string {
  if (!pattern.test(value)) {
    throw new KailashError('VALIDATION_FAILED', `${field} ${rule} (got ${JSON.stringify(value)})`, {
      issues: [{ field, message: rule }],
    });
  }
  return value;
}

const namespaceOf = (ns: string) => checked(ns, NAMESPACE, 'namespace', 'must match [a-z][a-z0-9_]{0,31}');
const domainOf = (domain: string) => checked(domain, DOMAIN, 'domain', 'must match [a-z][a-z0-9-]{0,31}');
const nameOf = (name: string) => checked(name, DOTTED_NAME, 'name', 'must be dotted lower-case words');

/** Builds every subject and stream name of one namespace (default `kailash`). */
export class SubjectSpace {
  readonly namespace: string;

  constructor(namespace = 'kailash') {
    this.namespace = namespaceOf(namespace);
  }

  /** `<ns>.<domain>.evt.<aggregateType>.<aggregateId>` — one subject per aggregate instance. */
  event(domain: string, aggregateType: string, aggregateId: string): string {
    const type = subjectToken(aggregateType, 'aggregate.type');
    return `${this.namespace}.${domainOf(domain)}.evt.${type}.${subjectToken(aggregateId, 'aggregate.id')}`;
  }

  /** Every event of a domain, or of one aggregate type in it. */
  events(domain: string, aggregateType?: string): string {
    const base = `${this.namespace}.${domainOf(domain)}.evt`;
    return aggregateType === undefined
      ? `${base}.>`
      : `${base}.${subjectToken(aggregateType, 'aggregate.type')}.*`;
  }

  command(domain: string, name: string): string {
    return `${this.namespace}.${domainOf(domain)}.cmd.${nameOf(name)}`;
  }

  query(domain: string, name: string): string {
    return `${this.namespace}.${domainOf(domain)}.qry.${nameOf(name)}`;
  }

  telemetry(kind: string, edgeId: string): string {
    return `${this.namespace}.telemetry.${subjectToken(kind, 'kind')}.${subjectToken(edgeId, 'edgeId')}`;
  }

  /** Every edge's telemetry of one kind: `<ns>.telemetry.<kind>.*`. */
  telemetryOfKind(kind: string): string {
    return `${this.namespace}.telemetry.${subjectToken(kind, 'kind')}.*`;
  }

  telemetryAll(): string {
    return `${this.namespace}.telemetry.>`;
  }

  /** `<ns>.edge.<edgeId>.<name>`: a request one edge agent serves (its KV, its workloads). */
  edgeRequest(edgeId: string, name: string): string {
    return `${this.namespace}.edge.${subjectToken(edgeId, 'edgeId')}.${nameOf(name)}`;
  }

  /** Every request of every edge agent (what the agents' NATS user may subscribe to). */
  edgeRequestsAll(): string {
    return `${this.namespace}.edge.>`;
  }

  deadLetter(service: string, consumer: string): string {
    return `${this.namespace}.dlq.${subjectToken(service, 'service')}.${subjectToken(consumer, 'consumer')}`;
  }

  deadLetterAll(): string {
    return `${this.namespace}.dlq.>`;
  }

  /** Stream names cannot hold `.`; upper case keeps them apart from subjects in logs. */
  stream(domain: string): string {
    return `${this.streamPrefix()}_${domainOf(domain).replace(/-/g, '_').toUpperCase()}`;
  }

  telemetryStream(): string {
    return `${this.streamPrefix()}_TELEMETRY`;
  }

  deadLetterStream(): string {
    return `${this.streamPrefix()}_DLQ`;
  }

  private streamPrefix(): string {
    return this.namespace.toUpperCase();
  }
}
