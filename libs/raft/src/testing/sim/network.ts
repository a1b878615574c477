import type { SeededRandom } from '../../core/random';
import type { NodeId } from '../../core/types';

export interface NetworkFaults {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Probability a message is silently dropped. */
  readonly dropRate: number;
  /** Probability a message is delivered twice. */
  readonly duplicateRate: number;
  /** Probability a message is held back for a long time, so it arrives out of order. */
  readonly longDelayRate: number;
  readonly longDelayMaxMs: number;
}

export const RELIABLE: NetworkFaults = {
  minDelayMs: 1,
  maxDelayMs: 5,
  dropRate: 0,
  duplicateRate: 0,
  longDelayRate: 0,
  longDelayMaxMs: 0,
};

/** Close to the 6.824 labrpc "unreliable" network: up to 27 ms delay, 10% loss, long reorderings. */
export const UNRELIABLE: NetworkFaults = {
  minDelayMs: 0,
  maxDelayMs: 27,
  dropRate: 0.1,
  duplicateRate: 0.05,
  longDelayRate: 0.05,
  longDelayMaxMs: 400,
};

/**
 * Which directed links are up. Every partition shape (full split, isolation, asymmetric one-way
 * cuts, partially connected nodes) is a set of cut links.
 */
export class Links {
  private readonly cut = new Set<string>();

  isUp(from: NodeId, to: NodeId): boolean {
    return !this.cut.has(`${from}>${to}`);
  }

  cutOneWay(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  cutBothWays(a: NodeId, b: NodeId): void {
    this.cutOneWay(a, b);
    this.cutOneWay(b, a);
  }

  restoreBothWays(a: NodeId, b: NodeId): void {
    this.cut.delete(`${a}>${b}`);
    this.cut.delete(`${b}>${a}`);
  }

  /** Cuts every link between the groups; links inside a group stay as they are. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (const [i, group] of groups.entries()) {
      for (const other of groups.slice(i + 1)) {
        for (const a of group) for (const b of other) this.cutBothWays(a, b);
      }
    }
  }

  isolate(node: NodeId, all: readonly NodeId[]): void {
    for (const other of all) if (other !== node) this.cutBothWays(node, other);
  }

  reconnect(node: NodeId, all: readonly NodeId[]): void {
    for (const other of all) this.restoreBothWays(node, other);
  }

  healAll(): void {
    this.cut.clear();
  }

  /** Delays for one send: [] = lost, two values = duplicated. */
  deliveryDelays(faults: NetworkFaults, random: SeededRandom): number[] {
    if (random.chance(faults.dropRate)) return [];
    const one = (): number =>
      random.chance(faults.longDelayRate)
        ? faults.maxDelayMs + random.nextInt(Math.max(1, faults.longDelayMaxMs))
        : faults.minDelayMs + random.nextInt(faults.maxDelayMs - faults.minDelayMs + 1);
    const delays = [one()];
    if (random.chance(faults.duplicateRate)) delays.push(one());
    return delays;
  }
}
