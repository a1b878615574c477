/** Canonical JSON of a label set (keys sorted): two spellings of one label set are one series. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );
}

export function seriesIdentity(
  edgeId: string,
  metric: string,
  labels: Readonly<Record<string, string>>,
): string {
  return `${metric}\u0000${edgeId}\u0000${labelsKey(labels)}`;
}
