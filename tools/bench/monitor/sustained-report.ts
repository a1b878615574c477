import { BETWEEN_STATEMENTS, TRANSACTION_EDGES } from './ingest';
import type { ProfileShare } from './profile';
import type { SustainedFigures } from './sustained';

const NOT_STATEMENTS = [TRANSACTION_EDGES, BETWEEN_STATEMENTS];
const pct = (n: number) => `${Math.round(100 * n)} %`;
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** Each part's wall time by statement, as a share of that part's own time. */
export function statementTable(figures: SustainedFigures): string[] {
  const parts: [string, Map<string, number>][] = [
    ['ingest', figures.ingestStatements],
    ['materialiser', figures.materialiserStatements],
    ['analyser', figures.analyserStatements],
  ];
  const lines = ['| part | statement | seconds | share of the part |', '|---|---|---:|---:|'];
  for (const [part, statements] of parts) {
    const total = sum(statements.values());
    for (const [statement, seconds] of [...statements].sort((a, b) => b[1] - a[1]))
      lines.push(
        `| ${part} | ${NOT_STATEMENTS.includes(statement) ? statement : `\`${statement}\``} | ${seconds.toFixed(2)} | ${pct(seconds / total)} |`,
      );
  }
  return lines;
}

export function profileTable(profile: readonly ProfileShare[]): string[] {
  const shown = profile.filter((entry) => entry.share >= 0.005).slice(0, 14);
  const rest = 1 - sum(shown.map((entry) => entry.share));
  return [
    '| where | share of the process’s time |',
    '|---|---:|',
    ...shown.map((entry) => `| ${entry.where} | ${pct(entry.share)} |`),
    `| everything else | ${pct(rest)} |`,
  ];
}

/** What the detector costs per sample, from the run's own figures. */
export function detectorCost(figures: SustainedFigures): {
  perAdvanceMs: number;
  transactionShare: number;
  capPerSecond: number;
} {
  const perAdvanceMs = (1000 * figures.analyserSeconds) / Math.max(1, figures.bucketsFed);
  const transactionShare =
    (figures.analyserStatements.get(TRANSACTION_EDGES) ?? 0) /
    Math.max(1e-9, sum(figures.analyserStatements.values()));
  // One advance per analysed series and minute; an agent series has 6 samples a minute.
  return { perAdvanceMs, transactionShare, capPerSecond: (6 * 1000) / perAdvanceMs };
}
