/** The replicated state machine this replica applies committed entries to. */
export const STATE_MACHINE = Symbol('COORD_STATE_MACHINE');
/** This replica's ReplicaSettings, from the environment. */
export const REPLICA_SETTINGS = Symbol('COORD_REPLICA_SETTINGS');
