import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import type {
  CoordFactRow,
  CoordHistoryGap,
  CoordLeaderRow,
  CoordMembershipRow,
  coordHistoryPageSchema,
} from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { SERVICE_CONFIG, SQL_DATABASE } from '@kailash/service-kit';
import type { z } from 'zod';
import { replicaSettings } from '../config';
import { readHistoryCheckpoint } from './history-writer';

export type PageQuery = z.output<typeof coordHistoryPageSchema>;
export interface FactFilter {
  readonly types: readonly string[];
  readonly leaseId?: number;
  readonly name?: string;
}
export interface Page<T> {
  readonly replica: number;
  readonly checkpoint: number;
  readonly items: T[];
  readonly next: string | null;
  readonly gaps: CoordHistoryGap[];
}

/** Gaps returned with every page: there are a handful at most (one per snapshot jump). */
const MAX_GAPS = 100;

interface Keyed {
  readonly index: number;
  readonly position?: number;
}

/** Pages of this replica's history, in Raft index order (or reversed), resuming after a cursor. */
@Injectable()
export class HistoryQueries {
  private readonly replica: number;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.replica = replicaSettings(config).id;
  }

  leaders(query: PageQuery): Promise<Page<CoordLeaderRow>> {
    return this.page(query, 'coord_leaders', 'raft_index, term, leader_id', undefined, (row) => ({
      index: Number(row['raft_index']),
      term: Number(row['term']),
      leader: row['leader_id'] === null ? null : Number(row['leader_id']),
    }));
  }

  membership(query: PageQuery): Promise<Page<CoordMembershipRow>> {
    return this.page(
      query,
      'coord_membership',
      'raft_index, change, node_id, voters, learners',
      undefined,
      (row) => ({
        index: Number(row['raft_index']),
        change: String(row['change']),
        nodeId: Number(row['node_id']),
        voters: (row['voters'] as number[]).map(Number),
        learners: (row['learners'] as number[]).map(Number),
      }),
    );
  }

  gaps(query: PageQuery): Promise<Page<CoordHistoryGap>> {
    return this.page(query, 'coord_history_gaps', 'from_index, to_index, reason', undefined, (row) => ({
      index: Number(row['from_index']),
      fromIndex: Number(row['from_index']),
      toIndex: Number(row['to_index']),
      reason: String(row['reason']),
    })).then((page) => ({ ...page, items: page.items.map(({ index: _index, ...gap }) => gap) }));
  }

  facts(query: PageQuery, filter: FactFilter): Promise<Page<CoordFactRow>> {
    return this.page(
      query,
      'coord_facts',
      'raft_index, position, type, at_ms, lease_id, name, fact',
      filter,
      (row) => ({
        index: Number(row['raft_index']),
        position: Number(row['position']),
        type: String(row['type']),
        at: Number(row['at_ms']),
        leaseId: row['lease_id'] === null ? null : Number(row['lease_id']),
        name: row['name'] === null ? null : String(row['name']),
        fact: row['fact'] as Record<string, unknown>,
      }),
    );
  }

  private async page<T extends Keyed>(
    query: PageQuery,
    table: string,
    columns: string,
    filter: FactFilter | undefined,
    toItem: (row: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    // Read first: rows and checkpoint commit together, so every row up to it is in what follows.
    const checkpoint = await readHistoryCheckpoint(this.db);
    const indexColumn = table === 'coord_history_gaps' ? 'from_index' : 'raft_index';
    const key = filter ? `(${indexColumn}, position)` : indexColumn;
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.after) {
      const [index, position] = query.after.split('-').map(Number) as [number, number];
      const bound = filter ? `(${param(index)}, ${param(position)})` : param(index);
      where.push(`${key} ${direction === 'ASC' ? '>' : '<'} ${bound}`);
    }
    if (filter) {
      where.push(`type = ANY(${param([...filter.types])}::text[])`);
      if (filter.leaseId !== undefined) where.push(`lease_id = ${param(filter.leaseId)}`);
      if (filter.name !== undefined) where.push(`name = ${param(filter.name)}`);
    }
    const order = filter
      ? `${indexColumn} ${direction}, position ${direction}`
      : `${indexColumn} ${direction}`;
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${columns} FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${order} LIMIT ${param(query.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, query.limit).map(toItem);
    const last = items[items.length - 1];
    const next = rows.length > query.limit && last ? `${last.index}-${last.position ?? 0}` : null;
    return { replica: this.replica, checkpoint, items, next, gaps: await this.allGaps() };
  }

  private async allGaps(): Promise<CoordHistoryGap[]> {
    const rows = await this.db.query<{ from_index: string; to_index: string; reason: string }>(
      `SELECT from_index, to_index, reason FROM coord_history_gaps ORDER BY from_index LIMIT ${MAX_GAPS}`,
    );
    return rows.map((row) => ({
      fromIndex: Number(row.from_index),
      toIndex: Number(row.to_index),
      reason: row.reason,
    }));
  }
}
