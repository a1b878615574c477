import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChaosScenarioResult, FaultKind } from '@kailash/testing';
import type { MinorityProbe } from '../../../apps/coordination-svc/test/partition-probe';

const CHAOS_DOC = join(__dirname, '..', '..', '..', 'docs', 'coordination-chaos.md');

export interface ChaosReport {
  readonly machine: string;
  readonly command: string;
  readonly process?: ChaosScenarioResult;
  readonly partition?: ChaosScenarioResult & { readonly minority: MinorityProbe[] };
  readonly notes: readonly string[];
}

function faultCounts(result: ChaosScenarioResult): string {
  const counts = new Map<FaultKind, number>();
  for (const f of result.faults.faults) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} × ${n}`).join(', ');
}

function resultTable(result: ChaosScenarioResult): string {
  const s = result.summary;
  const v = result.verdict;
  return [
    '| figure | value |',
    '|---|---|',
    `| wall time | ${(result.wallMs / 60_000).toFixed(1)} min |`,
    `| faults injected | ${result.faults.faults.length} (${faultCounts(result)}) |`,
    `| leader faults skipped (no leader within 20 s) | ${result.faults.skippedNoLeader} |`,
    `| client operations | ${s.operations.toLocaleString('en')} (completed ${s.completed.toLocaleString('en')}) |`,
    `| acknowledged writes | ${s.acknowledgedWrites.toLocaleString('en')} |`,
    `| writes with unknown outcome (error or timeout) | ${s.unknownWrites.toLocaleString('en')} |`,
    `| failed reads | ${s.failedReads.toLocaleString('en')} |`,
    `| linearizable (Wing–Gong–Lowe checker, per key) | ${v.linearizable} (checked in ${(result.checkMs / 1000).toFixed(1)} s) |`,
    `| acknowledged writes lost | ${v.lostWrites.length} |`,
  ].join('\n');
}

export function writeChaosDoc(report: ChaosReport): void {
  const lines = [
    '# Coordination chaos runs',
    '',
    'Written by `tools/chaos/coordination/main.ts`; rerun the command to refresh it.',
    report.machine,
    '',
    'Clients run put / compare-and-set / get on a few keys through the coordination client, each recording invoke',
    'and complete times and results. A write that errors or times out stays in the history with an unknown outcome',
    '(it may have been applied). After the last fault heals, every key is read once more and the whole history goes to',
    "the Raft library's linearizability checker; a separate check names any acknowledged write the final reads lost.",
    'Each round of three faults uses fresh keys, so every round is checked on its own (linearizability is per key).',
    '',
    'In CI (`npm test`), two bounded versions run on every change: `apps/coordination-svc/test/chaos.int.spec.ts`',
    "(6 process faults, about a minute) and `apps/coordination-svc/test/partition.int.spec.ts` (a follower's link cut,",
    "then the leader's; needs root for network namespaces).",
    '',
  ];
  if (report.process) {
    lines.push(
      '## Process faults (3 replicas on loopback, one NATS server)',
      '',
      'In turn: kill -9 of the leader then restart from its WAL, SIGSTOP of the leader for longer than the election',
      'timeout then SIGCONT, kill -9 of a follower then restart.',
      '',
      resultTable(report.process),
      '',
    );
  }
  if (report.partition) {
    lines.push(
      '## Network partitions (each replica and its own nats-server in a network namespace; a NATS cluster of 3)',
      '',
      "In turn: a follower's link cut, then the leader's; a client inside the cut replica's namespace keeps putting",
      'through the isolated side while the majority elects and serves; then the link is restored.',
      '',
      resultTable(report.partition),
      '',
      '| cut member | was leader | leader of the majority while cut | writes the majority acknowledged while cut | puts tried on the isolated side | acknowledged there |',
      '|---|---|---|---|---|---|',
      ...report.partition.minority.map(
        (m) =>
          `| ${m.member} | ${m.wasLeader} | ${m.leaderWhileCut ?? 'none'} | ${m.majorityAcknowledged ?? '—'} | ${m.attempts} | ${m.acknowledged} |`,
      ),
      '',
    );
  }
  if (report.notes.length > 0) lines.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  writeFileSync(CHAOS_DOC, lines.join('\n'));
}
