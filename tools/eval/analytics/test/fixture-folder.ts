import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededNormal } from '@kailash/random';

/** Names the fixture folder is built with, so a test can look for them in the report. */
export const FIXTURE = {
  m4Ids: ['T7', 'T8', 'T9'],
  m4Length: 400,
  vmNames: ['vm_alpha', 'vm_beta'],
  vmDays: 21,
  nabFiles: ['fixtureCpu/cpu_small.csv', 'fixtureLatency/latency_tiny.csv'],
  nabRows: [1300, 900],
} as const;

const DAY = 288;

/**
 * Writes a tiny data folder in the evaluation harness's format (M4 training file, wide VM CSV,
 * NAB data and labels) under `root`: synthetic, seeded series with a daily cycle and noise.
 */
export function writeFixtureFolder(root: string): void {
  const noise = seededNormal(42);
  writeM4(root, noise);
  writeVms(root, noise);
  writeNab(root, noise);
}

function writeM4(root: string, noise: () => number): void {
  const dir = join(root, 'm4-hourly');
  mkdirSync(dir, { recursive: true });
  const n = FIXTURE.m4Length;
  const header = ['"V1"', ...Array.from({ length: n }, (_, i) => `"V${i + 2}"`)].join(',');
  const rows = FIXTURE.m4Ids.map((id, k) => {
    const values = Array.from(
      { length: n },
      (_, t) => 100 + 10 * k + 0.05 * t + 20 * Math.sin((2 * Math.PI * t) / 24) + 2 * noise(),
    );
    return [`"${id}"`, ...values.map((v) => `"${v.toFixed(2)}"`)].join(',');
  });
  writeFileSync(join(dir, 'Hourly-train.csv'), `${[header, ...rows].join('\n')}\n`);
}

function writeVms(root: string, noise: () => number): void {
  const dir = join(root, 'azure-vm-cpu-2017');
  mkdirSync(dir, { recursive: true });
  const rows = FIXTURE.vmDays * DAY;
  const lines = [['step', 'minute', ...FIXTURE.vmNames].join(',')];
  for (let step = 0; step < rows; step++) {
    const cells = FIXTURE.vmNames.map((_, k) =>
      Math.max(0, 30 + 10 * k + 15 * Math.sin((2 * Math.PI * step) / DAY) + 3 * noise()).toFixed(2),
    );
    lines.push([step, step * 5, ...cells].join(','));
  }
  writeFileSync(join(dir, 'azure_vm_cpu_avg_5min_100vms.csv'), `${lines.join('\n')}\n`);
}

function writeNab(root: string, noise: () => number): void {
  const windows: Record<string, string[][]> = {};
  FIXTURE.nabFiles.forEach((key, k) => {
    const rows = FIXTURE.nabRows[k] as number;
    const [category = '', name = ''] = key.split('/');
    const dir = join(root, 'nab', 'data', category);
    mkdirSync(dir, { recursive: true });
    const start = Date.UTC(2020, 0, 1);
    const stamp = (i: number) => new Date(start + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
    const spikeAt = Math.floor(rows * 0.8);
    const lines = ['timestamp,value'];
    for (let i = 0; i < rows; i++) {
      const spike = i >= spikeAt && i < spikeAt + 5 ? 60 : 0;
      lines.push(`${stamp(i)},${(50 + 10 * Math.sin((2 * Math.PI * i) / DAY) + noise() + spike).toFixed(3)}`);
    }
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
    windows[key] = [[`${stamp(spikeAt - 20)}.000000`, `${stamp(spikeAt + 20)}.000000`]];
  });
  mkdirSync(join(root, 'nab', 'labels'), { recursive: true });
  writeFileSync(join(root, 'nab', 'labels', 'combined_windows.json'), JSON.stringify(windows, null, 2));
}
