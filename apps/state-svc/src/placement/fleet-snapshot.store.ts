import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { SQL_DATABASE } from '@kailash/service-kit';
import type { Fleet } from './engine/fleet';
import { readEdgesChangedAfter, readEdgesPosition, toFleetEdge } from './fleet-rows';
import { FleetView } from './fleet-view';

/** How often an instance asks whether the edges projection moved: the bound on how stale placement can be. */
export const FLEET_REFRESH_MS = 250;

/**
 * This instance's in-memory fleet view, kept fresh from the `edges` projection.
 *
 * Why poll the projection checkpoint rather than subscribe to edge events: the projection already
 * folds the events with the same `evolve` the write side uses, deduplicated and in order, so the view
 * can never disagree with `GET /edges` for longer than one refresh interval plus projection lag. An
 * ephemeral consumer would keep a second copy of that logic and replay the whole stream at every start.
 * The check is one primary-key read every FLEET_REFRESH_MS; only when the checkpoint has advanced are
 * the changed rows (version above the last position) read and the index rebuilt, off the request path,
 * so a placement never waits on Postgres.
 */
@Injectable()
export class FleetSnapshotStore implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FleetSnapshotStore.name);
  private readonly view = new FleetView();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<Fleet> | undefined;
  private firstLoad: Promise<Fleet> | undefined;

  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  onApplicationBootstrap(): void {
    this.firstLoad = this.refresh();
    this.firstLoad.catch(() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), FLEET_REFRESH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
  }

  /** The current view; the first call after boot waits for the first load so it never answers from an empty fleet. */
  async fleet(): Promise<Fleet> {
    if (this.view.position === 0 && this.firstLoad) await this.firstLoad.catch(() => this.refresh());
    return this.view.current;
  }

  /** Brings the view up to the projection now; concurrent callers share one refresh. */
  refresh(): Promise<Fleet> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<Fleet> {
    try {
      const position = await readEdgesPosition(this.db);
      if (position === this.view.position) return this.view.current;
      // A checkpoint behind ours means the projection was rebuilt from scratch: reload everything.
      const rebuilt = position < this.view.position;
      const rows = await readEdgesChangedAfter(this.db, rebuilt ? 0 : this.view.position);
      return this.view.apply(position, rows.map(toFleetEdge), rebuilt);
    } catch (error) {
      this.logger.warn(`fleet refresh failed, keeping the previous view: ${String(error)}`);
      throw error;
    }
  }
}
