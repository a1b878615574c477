import type { BenchCluster } from './bench-target';

/** coordination-svc as a benchmark target, or why it cannot run here. */
export async function coordinationTarget(): Promise<BenchCluster | string> {
  return 'the coordination-svc replica process is not in this tree yet';
}
