/** Canonical JSON of a label set (keys sorted): two spellings of one label set are one series. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted));
}

/** A series' identity as one string, from its parts as the series table stores them. */
export function identityOfKey(edgeId: string, metric: string, key: string): string {
  return `${metric}\u0000${edgeId}\u0000${key}`;
}

export function seriesIdentity(
  edgeId: string,
  metric: string,
  labels: Readonly<Record<string, string>>,
): string {
  return identityOfKey(edgeId, metric, labelsKey(labels));
}
