/** The operations a chaos client performs on a replicated register store (one register per key). */
export type ChaosInput =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

export type ChaosOutput =
  { readonly value: string | null } | { readonly ok: boolean } | Record<string, never>;

/** One operation as a linearizability checker reads it; ret is Infinity when the outcome is unknown. */
export interface ChaosOperation {
  readonly clientId: number;
  readonly input: ChaosInput;
  readonly output: ChaosOutput | undefined;
  readonly call: number;
  readonly ret: number;
}

/**
 * Records what clients saw, with invoke and complete times from one monotonic clock. A write that
 * failed or timed out may still have been applied, so it stays in the history as pending forever;
 * a failed read changed nothing and is left out.
 */
export class HistoryRecorder {
  private readonly recorded: ChaosOperation[] = [];
  private failedWrites = 0;
  private failedReads = 0;

  constructor(private readonly now: () => number) {}

  async record(
    clientId: number,
    input: ChaosInput,
    run: () => Promise<ChaosOutput>,
  ): Promise<ChaosOutput | undefined> {
    const call = this.now();
    try {
      const output = await run();
      this.recorded.push({ clientId, input, output, call, ret: this.now() });
      return output;
    } catch {
      if (input.op === 'get') this.failedReads++;
      else {
        this.failedWrites++;
        this.recorded.push({ clientId, input, output: undefined, call, ret: Number.POSITIVE_INFINITY });
      }
      return undefined;
    }
  }

  operations(): readonly ChaosOperation[] {
    return this.recorded;
  }

  summary(): HistorySummary {
    const done = this.recorded.filter((op) => op.ret !== Number.POSITIVE_INFINITY);
    const acknowledgedWrites = done.filter(
      (op) =>
        op.input.op === 'put' || (op.input.op === 'cas' && 'ok' in (op.output ?? {}) && isOk(op.output)),
    ).length;
    return {
      operations: this.recorded.length + this.failedReads,
      completed: done.length,
      acknowledgedWrites,
      unknownWrites: this.failedWrites,
      failedReads: this.failedReads,
    };
  }
}

export interface HistorySummary {
  readonly operations: number;
  readonly completed: number;
  readonly acknowledgedWrites: number;
  readonly unknownWrites: number;
  readonly failedReads: number;
}

function isOk(output: ChaosOutput | undefined): boolean {
  return output !== undefined && 'ok' in output && output.ok === true;
}
