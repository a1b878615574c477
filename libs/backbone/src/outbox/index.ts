export * from './outbox';
export * from './outbox-flusher';
export { StoredEvents } from './stored-events';
