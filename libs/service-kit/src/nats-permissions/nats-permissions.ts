import type { ServiceTopology } from '@kailash/contracts';
import { SubjectSpace, TELEMETRY_OWNER } from '@kailash/contracts';

export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
  /** Replies go to the reply subject of a request received, and only there (no blanket `_INBOX.>` publish). */
  readonly allow_responses: true;
}

/**
 * What one service may do on NATS, derived from its topology:
 * - publish its own domain's events, its own dead letters, telemetry if it is an edge, the
 *   commands and queries of the domains it calls, and the JetStream API of the streams it writes or
 *   reads (nothing of any other stream);
 * - subscribe to the commands and queries it serves and to its inboxes (replies, consumer batches).
 */
export function natsPermissionsFor(subjects: SubjectSpace, service: ServiceTopology): NatsPermissions {
  const ns = subjects.namespace;
  const written = service.domain ? [subjects.stream(service.domain)] : [];
  const read = service.consumes.map((domain) => subjects.stream(domain));
  // Only a stream's writer configures it (docs/fleet-facts.md): its own domain stream is created and
  // updated; DLQ (everyone writes it) and TELEMETRY (edges write it) are only created if missing,
  // except TELEMETRY by its owner.
  const dlq = subjects.deadLetterStream();
  const telemetry = subjects.telemetryStream();
  const ownsTelemetry = service.service === TELEMETRY_OWNER;
  const configured = [...written, ...(ownsTelemetry ? [telemetry] : [])];
  const createdIfMissing = [dlq, ...(service.telemetry === 'publish' ? [telemetry] : [])];
  const readTelemetry = ownsTelemetry || service.telemetry !== 'none' ? [telemetry] : [];
  const peers = (service.peerSubjects ?? []).map((subject) => `${ns}.${subject}`);
  const publish = [
    ...(service.domain ? [subjects.events(service.domain)] : []),
    ...peers,
    `${ns}.dlq.${service.service}.>`,
    ...(service.telemetry === 'publish' ? [subjects.telemetryAll()] : []),
    ...service.calls.flatMap((domain) => [`${ns}.${domain}.cmd.>`, `${ns}.${domain}.qry.>`]),
    '$JS.API.INFO',
    '$JS.API.STREAM.NAMES',
    ...unique([...configured, ...createdIfMissing]).map((stream) => `$JS.API.STREAM.CREATE.${stream}`),
    ...unique(configured).map((stream) => `$JS.API.STREAM.UPDATE.${stream}`),
    ...unique([...written, ...read, dlq, ...readTelemetry]).flatMap(streamReading),
  ];
  const subscribe = [
    ...(service.domain ? [`${ns}.${service.domain}.cmd.>`, `${ns}.${service.domain}.qry.>`] : []),
    ...peers,
    '_INBOX.>',
  ];
  return {
    publish: { allow: unique(publish) },
    subscribe: { allow: unique(subscribe) },
    allow_responses: true,
  };
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Reading a stream: its info, message gets, and consumers of its own (create, info, fetch, ack, delete). */
const streamReading = (stream: string): string[] => [
  `$JS.API.STREAM.INFO.${stream}`,
  `$JS.API.STREAM.MSG.GET.${stream}`,
  `$JS.API.DIRECT.GET.${stream}`,
  `$JS.API.DIRECT.GET.${stream}.>`,
  `$JS.API.CONSUMER.CREATE.${stream}`,
  `$JS.API.CONSUMER.CREATE.${stream}.>`,
  `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
  `$JS.API.CONSUMER.INFO.${stream}.>`,
  `$JS.API.CONSUMER.DELETE.${stream}.>`,
  `$JS.API.CONSUMER.NAMES.${stream}`,
  `$JS.API.CONSUMER.LIST.${stream}`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
  `$JS.ACK.${stream}.>`,
];
