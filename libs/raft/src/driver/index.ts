export { RaftDriver, type RaftDriverOptions } from './raft-driver';
export { AsyncRaftDriver, intervalTicker, type AsyncRaftDriverOptions } from './async-raft-driver';
export type {
  AppliedConfChange,
  AsyncStorageWriter,
  RaftApplication,
  RaftTransport,
  SyncStorageWriter,
  Ticker,
} from './ports';
