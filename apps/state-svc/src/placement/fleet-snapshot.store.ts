import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '@kailash/backbone';
import type { GeoPoint } from '@kailash/contracts';
import type { NearbyCandidates } from '../edges/edges-nearby.port';
import { EdgesNearbyIndex } from '../edges/edges-nearby.port';
import { EdgesReadPort } from '../edges/edges.read-port';
import { parseEdgeFact } from './edge-facts';
import type { Fleet } from './engine/fleet';
import { toFleetEdge } from './fleet-rows';
import { FleetView } from './fleet-view';
import { nearbyCandidates } from './nearby';
import { PlacementMetrics } from './placement.metrics';

/** How often an instance asks whether the edges projection moved: the bound on how stale placement can be. */
export const FLEET_REFRESH_MS = 50;

/**
 * This instance's in-memory fleet view, kept fresh from the `edges` projection (through the edges
 * slice's read port; placement never reads the edges tables itself).
 *
 * Why poll the projection checkpoint rather than subscribe to edge events: the projection already
 * folds the events with the same `evolve` the write side uses, deduplicated and in order, so the view
 * can never disagree with `GET /edges` for longer than one refresh interval plus projection lag. An
 * ephemeral consumer would keep a second copy of that logic and replay the whole stream at every start.
 * The check is one primary-key read every FLEET_REFRESH_MS; only when the checkpoint has advanced are
 * the changed rows (version above the last position) read and applied to the index one edge at a time
 * (O(log n) each, never a rebuild after the first load), off the request path, so a placement never
 * waits on Postgres — except a query that asks to see a write (read-your-writes):
 * once the projection has applied it, such a query refreshes the view before it is answered.
 */
@Injectable()
export class FleetSnapshotStore implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FleetSnapshotStore.name);
  private readonly view = new FleetView();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<Fleet> | undefined;
  private firstLoad: Promise<Fleet> | undefined;

  constructor(
    @Inject(EdgesReadPort) private readonly edges: EdgesReadPort,
    @Inject(EdgesNearbyIndex) private readonly nearbyIndex: EdgesNearbyIndex,
    @Inject(PlacementMetrics) private readonly metrics: PlacementMetrics,
  ) {}

  /** Times the index was rebuilt whole after boot (only a projection replayed from scratch does that). */
  get fullRebuilds(): number {
    return this.view.fullRebuilds;
  }

  onApplicationBootstrap(): void {
    this.nearbyIndex.provide((near, radiusKm) => this.nearby(near, radiusKm));
    this.firstLoad = this.refresh();
    this.firstLoad.catch(() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), FLEET_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
  }

  /**
   * The current view; the first call after boot waits for the first load so it never answers from an
   * empty fleet, and a request carrying a minimum sequence the view has not reached gets a fresh load.
   */
  async fleet(): Promise<Fleet> {
    if (this.view.position === 0 && this.firstLoad) await this.firstLoad.catch(() => this.refresh());
    const wanted = RequestContext.current()?.minSequence;
    if (wanted !== undefined && this.view.position < wanted) return this.refreshStartingNow();
    return this.view.current;
  }

  /**
   * A fact about an edge from another service (load, health), validated; it takes effect at once
   * (one index path) and is kept across later changes of the edge. See `edge-facts.ts`.
   */
  reportFact(input: unknown): void {
    this.view.applyFact(parseEdgeFact(input));
  }

  /** Edges within a radius as the view holds them (any lifecycle), for discovery to check in SQL. */
  async nearby(near: GeoPoint, radiusKm: number): Promise<NearbyCandidates> {
    return nearbyCandidates(await this.fleet(), near, radiusKm);
  }

  /** Brings the view up to the projection now; concurrent callers share one refresh. */
  refresh(): Promise<Fleet> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** A refresh that reads the projection after this call: one already in flight may have read it before. */
  private async refreshStartingNow(): Promise<Fleet> {
    await this.refreshing?.catch(() => undefined);
    return this.refresh();
  }

  private async load(): Promise<Fleet> {
    try {
      const position = await this.edges.position();
      if (position === this.view.position) return this.view.current;
      // A checkpoint behind ours means the projection was rebuilt from scratch: reload everything.
      const rebuilt = position < this.view.position;
      const changed = await this.edges.placementFactsChangedAfter(rebuilt ? 0 : this.view.position);
      const before = this.view.fullRebuilds;
      const fleet = this.view.apply(position, changed.map(toFleetEdge), rebuilt);
      this.metrics.fleetRebuilds.inc(this.view.fullRebuilds - before);
      return fleet;
    } catch (error) {
      this.logger.warn(`fleet refresh failed, keeping the previous view: ${String(error)}`);
      throw error;
    }
  }
}
