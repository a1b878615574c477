import { KailashError } from '@kailash/contracts';
import { movedTo } from './moved';
import type { AgentTransport, Locator, Target } from './routing';
import { routeKey } from './routing';

export interface EdgeClientOptions {
  /** How many MOVED answers one call follows before it gives up (a loop means ownership is in flux). */
  readonly maxHops?: number;
  /** How long a resolved route is reused without asking the control plane again. */
  readonly routeTtlMs?: number;
  readonly now?: () => number;
}

export interface CallOutcome<T> {
  readonly result: T;
  /** The edge that answered. */
  readonly edgeId: string;
  /** The edges that answered MOVED first, in order. */
  readonly movedFrom: readonly string[];
}

interface CachedRoute {
  readonly edges: readonly string[];
  readonly until: number;
}

/**
 * Calls a workload where it lives: asks the locator, caches the answer, and calls the first edge.
 * An agent that answers MOVED names the owner, which is called next with no proxy in between; a
 * MOVED without an owner, or an edge that does not answer (UNAVAILABLE, TIMEOUT) or does not host
 * the function (NOT_FOUND), makes the client locate once more and try the next edge it hears of.
 */
export class EdgeClient {
  private readonly routes = new Map<string, CachedRoute>();
  private readonly maxHops: number;
  private readonly routeTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly locator: Locator,
    private readonly transport: AgentTransport,
    options: EdgeClientOptions = {},
  ) {
    this.maxHops = options.maxHops ?? 3;
    this.routeTtlMs = options.routeTtlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async call<T = unknown>(target: Target, operation: string, data: unknown): Promise<CallOutcome<T>> {
    const tried = new Set<string>();
    const movedFrom: string[] = [];
    let next: string | undefined = (await this.route(target, false))[0];
    while (next !== undefined) {
      const edgeId: string = next;
      tried.add(edgeId);
      try {
        const result = (await this.transport.request(edgeId, operation, data)) as T;
        this.promote(target, edgeId);
        return { result, edgeId, movedFrom };
      } catch (error) {
        const owner = movedTo(error);
        if (owner !== undefined) {
          movedFrom.push(edgeId);
          if (movedFrom.length > this.maxHops) throw tooManyHops(target, movedFrom);
        } else if (!retryElsewhere(target, error)) throw error;
        next = owner ?? (await this.route(target, true)).find((candidate) => !tried.has(candidate));
        if (next === undefined) throw error;
      }
    }
    throw new KailashError('UNAVAILABLE', `no edge serves ${describe(target)} now`);
  }

  /** Forget every cached route (after a fleet change the caller knows about). */
  forget(): void {
    this.routes.clear();
  }

  private async route(target: Target, fresh: boolean): Promise<readonly string[]> {
    const cached = this.routes.get(routeKey(target));
    if (!fresh && cached && cached.until > this.now()) return cached.edges;
    const edges = await this.locator.locate(target);
    if (edges.length > 0) this.remember(target, edges);
    else this.routes.delete(routeKey(target));
    return edges;
  }

  /** The edge that answered goes first, so the next call goes straight to it. */
  private promote(target: Target, edgeId: string): void {
    const edges = this.routes.get(routeKey(target))?.edges ?? [];
    if (edges[0] !== edgeId) this.remember(target, [edgeId, ...edges.filter((edge) => edge !== edgeId)]);
  }

  private remember(target: Target, edges: readonly string[]): void {
    this.routes.set(routeKey(target), { edges, until: this.now() + this.routeTtlMs });
  }
}

/** Errors another edge might not give: the edge is gone, or (for a function) it does not host it. */
function retryElsewhere(target: Target, error: unknown): boolean {
  if (!(error instanceof KailashError)) return false;
  if (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT') return true;
  return target.kind === 'function' && error.code === 'NOT_FOUND';
}

function describe(target: Target): string {
  return target.kind === 'key' ? `store ${target.store}` : `function ${target.workload}`;
}

function tooManyHops(target: Target, movedFrom: readonly string[]): KailashError {
  return new KailashError(
    'UNAVAILABLE',
    `${describe(target)} moved ${movedFrom.length} times in one call (${movedFrom.join(' → ')}); ownership is changing`,
    { movedFrom },
  );
}
