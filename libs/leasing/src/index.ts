export { assertEpochMs, epochMsOf, isoOf, type EpochMs } from './epoch-ms';
export {
  isPastDeadline,
  liveGrant,
  vacant,
  type FencingToken,
  type Grant,
  type LeaseState,
  type LeaseStatus,
} from './lease-state';
export {
  acquire,
  checkFence,
  expire,
  release,
  renew,
  type Acquired,
  type AcquireRequest,
  type HolderRequest,
  type RenewRequest,
} from './lease-rules';
export {
  orThrow,
  refusalError,
  type Decision,
  type LeaseTarget,
  type Refusal,
  type RefusalReason,
} from './refusal';
