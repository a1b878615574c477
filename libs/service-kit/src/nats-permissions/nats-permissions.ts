import type { ServiceTopology } from '@kailash/contracts';
import { SubjectSpace } from '@kailash/contracts';

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
  // Today every service ensures the shared DLQ and TELEMETRY streams at boot, so it may create them.
  const shared = [subjects.deadLetterStream(), subjects.telemetryStream()];
  const publish = [
    ...(service.domain ? [subjects.events(service.domain)] : []),
    `${ns}.dlq.${service.service}.>`,
    ...(service.telemetry === 'publish' ? [subjects.telemetryAll()] : []),
    ...service.calls.flatMap((domain) => [`${ns}.${domain}.cmd.>`, `${ns}.${domain}.qry.>`]),
    '$JS.API.INFO',
    '$JS.API.STREAM.NAMES',
    ...unique([...written, ...shared]).flatMap(streamAdministration),
    ...unique([...written, ...read, ...shared]).flatMap(streamReading),
  ];
  const subscribe = [
    ...(service.domain ? [`${ns}.${service.domain}.cmd.>`, `${ns}.${service.domain}.qry.>`] : []),
    '_INBOX.>',
  ];
  return {
    publish: { allow: unique(publish) },
    subscribe: { allow: unique(subscribe) },
    allow_responses: true,
  };
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

const streamAdministration = (stream: string): string[] => [
  `$JS.API.STREAM.CREATE.${stream}`,
  `$JS.API.STREAM.UPDATE.${stream}`,
];

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
