// Durable state object contracts (issue 4, item 4). Filled in by the state-objects slice.
export const STATE_OBJECT_EVENTS = [] as const;
