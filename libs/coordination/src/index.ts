// The replicated state machine
export {
  CoordinationStateMachine,
  DEFAULT_HISTORY_CHAR_LIMIT,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_SESSION_RESPONSE_LIMIT,
  type Applied,
  type InvalidEntryResponse,
  type StateMachineOptions,
} from './state-machine';
export type {
  CoordinationState,
  ElectionRecord,
  LeaseRecord,
  ReadonlyCoordinationState,
  SessionRecord,
  StoredKey,
} from './state';
// Entry payloads
export { decodeProposal, encodeProposal } from './codec';
// Reads (pure, over `machine.state`)
export {
  ELECTION_PREFIX,
  LOCK_PREFIX,
  dueLeases,
  electionKey,
  electionLeader,
  get,
  getLeader,
  inRange,
  isReserved,
  leaseExpiryCommand,
  leaseInfo,
  leases,
  lockKey,
  lockOwner,
  nextLeaseDeadline,
  range,
  watchHistory,
  type HistoryRead,
  type LeaseInfo,
} from './queries';
// Commands and proposals (zod schemas and their types)
export * from './commands';
// Answers, events and facts (zod schemas and their types)
export * from './responses';
// Client reads (NATS `qry.*`): schemas and the one function that answers them
export {
  leaseInfoSchema,
  querySchema,
  queryResultSchemas,
  runQuery,
  type Query,
  type QueryName,
  type QueryResult,
} from './query-schemas';
