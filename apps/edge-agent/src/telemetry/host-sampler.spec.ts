import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostMetricsSchema, processMetricsSchema } from '@kailash/contracts';
import { HostSampler } from './host-sampler';

describe('HostSampler', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'host-sampler-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reports the host CPU meter's busy share beside the load average, as the contract has them", () => {
    const sampler = new HostSampler(dir, { sample: () => 37.5 });
    const { host, process } = sampler.sample();
    sampler.stop();
    expect(host.cpuBusyPercent).toBe(37.5);
    expect(host.loadAverage1m).toBeGreaterThanOrEqual(0);
    expect(() => hostMetricsSchema.parse(host)).not.toThrow();
    expect(() => processMetricsSchema.parse(process)).not.toThrow();
  });

  it('leaves the busy share out (not 0) when the meter has no figure', () => {
    const sampler = new HostSampler(dir, { sample: () => undefined });
    const { host } = sampler.sample();
    sampler.stop();
    expect('cpuBusyPercent' in host).toBe(false);
    expect(() => hostMetricsSchema.parse(host)).not.toThrow();
  });
});
