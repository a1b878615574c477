import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineEvent, tokenSchema } from '../envelope';
import type { EdgeUpdate } from './edge-lifecycle';
import { edgeUpdateSchema } from './edge-lifecycle';
import type { EdgeLifecycle } from './edge.schemas';
import { edgeFieldsSchema, edgeLifecycleSchema, edgeRegistrationSchema } from './edge.schemas';

export const EDGE_AGGREGATE = 'edge';

// ── The edge as it is after a change ─────────────────────────────────────────
// Every current edge event carries it, so another service can keep the fleet in its own database
// from the events alone: no state-svc code, no query back, and the last event of an edge is its state.

const { endpoint, ...describable } = edgeFieldsSchema.shape;

export const edgeSnapshotSchema = z.strictObject({
  edgeId: tokenSchema,
  ...describable,
  endpoint: endpoint.unwrap().nullable(),
  lifecycle: edgeLifecycleSchema,
  registeredAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type EdgeSnapshot = z.output<typeof edgeSnapshotSchema>;

const describesItsEdge = (value: object) => {
  const { edgeId, edge } = value as { edgeId: string; edge: EdgeSnapshot };
  return edge.edgeId === edgeId;
};

const withSnapshot = <Shape extends z.ZodRawShape>(data: z.ZodObject<Shape, z.core.$strict>) =>
  data.extend({ edge: edgeSnapshotSchema }).refine(describesItsEdge, {
    message: 'must describe the edge the event is about',
    path: ['edge', 'edgeId'],
  });

// ── Version 1: the change only (still in streams written before snapshots) ───

const registeredV1Data = edgeRegistrationSchema.required({ edgeId: true }).extend({
  edgeId: tokenSchema,
  registeredAt: z.iso.datetime(),
});
const updatedV1Data = z.strictObject({
  edgeId: tokenSchema,
  changes: edgeUpdateSchema,
  at: z.iso.datetime(),
});
const lifecycleChangedV1Data = z.strictObject({
  edgeId: tokenSchema,
  from: edgeLifecycleSchema,
  to: edgeLifecycleSchema,
  reason: z.string().min(1).max(512),
  actor: z.string().min(1).max(128),
  at: z.iso.datetime(),
});
const deregisteredV1Data = z.strictObject({
  edgeId: tokenSchema,
  from: edgeLifecycleSchema,
  reason: z.string().min(1).max(512),
  actor: z.string().min(1).max(128),
  at: z.iso.datetime(),
});

export const EdgeRegisteredV1 = defineEvent('edge.registered', {
  aggregateType: EDGE_AGGREGATE,
  data: registeredV1Data,
});
export const EdgeUpdatedV1 = defineEvent('edge.updated', {
  aggregateType: EDGE_AGGREGATE,
  data: updatedV1Data,
});
export const EdgeLifecycleChangedV1 = defineEvent('edge.lifecycle-changed', {
  aggregateType: EDGE_AGGREGATE,
  data: lifecycleChangedV1Data,
});
export const EdgeDeregisteredV1 = defineEvent('edge.deregistered', {
  aggregateType: EDGE_AGGREGATE,
  data: deregisteredV1Data,
});

// ── Version 2: the change and the edge after it (what state-svc writes) ──────

export const EdgeRegistered = defineEvent('edge.registered', {
  v: 2,
  aggregateType: EDGE_AGGREGATE,
  data: withSnapshot(z.strictObject({ edgeId: tokenSchema, registeredAt: z.iso.datetime() })),
});
export type EdgeRegistered = EventOf<typeof EdgeRegistered>;

export const EdgeUpdated = defineEvent('edge.updated', {
  v: 2,
  aggregateType: EDGE_AGGREGATE,
  data: withSnapshot(updatedV1Data),
});
export type EdgeUpdated = EventOf<typeof EdgeUpdated>;

export const EdgeLifecycleChanged = defineEvent('edge.lifecycle-changed', {
  v: 2,
  aggregateType: EDGE_AGGREGATE,
  data: withSnapshot(lifecycleChangedV1Data),
});
export type EdgeLifecycleChanged = EventOf<typeof EdgeLifecycleChanged>;

/** Leaving the fleet: the edge is terminated and its record kept for history. */
export const EdgeDeregistered = defineEvent('edge.deregistered', {
  v: 2,
  aggregateType: EDGE_AGGREGATE,
  data: withSnapshot(deregisteredV1Data),
});
export type EdgeDeregistered = EventOf<typeof EdgeDeregistered>;

/** What the edge decider writes today. */
export const EDGE_EVENTS = [EdgeRegistered, EdgeUpdated, EdgeLifecycleChanged, EdgeDeregistered] as const;
/** Older versions a reader must still understand: streams keep every event forever. */
export const EDGE_EVENTS_V1 = [
  EdgeRegisteredV1,
  EdgeUpdatedV1,
  EdgeLifecycleChangedV1,
  EdgeDeregisteredV1,
] as const;
export const EDGE_EVENT_TYPES = EDGE_EVENTS.map((definition) => definition.type);

export type EdgeEventV1 =
  | EventOf<typeof EdgeRegisteredV1>
  | EventOf<typeof EdgeUpdatedV1>
  | EventOf<typeof EdgeLifecycleChangedV1>
  | EventOf<typeof EdgeDeregisteredV1>;
/** Any edge event a stream may hold, of any version. */
export type EdgeEvent = EdgeRegistered | EdgeUpdated | EdgeLifecycleChanged | EdgeDeregistered | EdgeEventV1;

// ── What an edge event means for the edge ────────────────────────────────────

/** The edge a registration describes, before anything else happened to it. */
export function registeredEdge(registration: z.output<typeof registeredV1Data>): EdgeSnapshot {
  const { endpoint: given, ...rest } = registration;
  return { ...rest, endpoint: given ?? null, lifecycle: 'initialized', updatedAt: rest.registeredAt };
}

/** An update changes the fields it names and nothing else; `endpoint` may be set, never unset. */
export function updatedEdge(edge: EdgeSnapshot, changes: EdgeUpdate, at: string): EdgeSnapshot {
  const { endpoint: given, ...rest } = changes;
  return { ...edge, ...rest, ...(given === undefined ? {} : { endpoint: given }), updatedAt: at };
}

export function transitionedEdge(edge: EdgeSnapshot, to: EdgeLifecycle, at: string): EdgeSnapshot {
  return { ...edge, lifecycle: to, updatedAt: at };
}

/**
 * The edge after an event of any version: a current event says so itself; a version 1 event is
 * folded onto the edge before it (undefined when there is none: a change to an edge never registered).
 */
export function edgeAfter(before: EdgeSnapshot | undefined, event: EdgeEvent): EdgeSnapshot | undefined {
  const { data } = event;
  if ('edge' in data) return data.edge;
  if ('registeredAt' in data) return registeredEdge(data);
  if (!before) return undefined;
  if ('changes' in data) return updatedEdge(before, data.changes, data.at);
  if ('to' in data) return transitionedEdge(before, data.to, data.at);
  return transitionedEdge(before, 'terminated', data.at);
}
