// Lease contracts (issue 4, item 3): events, commands and views. Filled in by the leases slice.
export const LEASE_EVENTS = [] as const;
