// The replicated state machine
export {
  CoordinationStateMachine,
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
