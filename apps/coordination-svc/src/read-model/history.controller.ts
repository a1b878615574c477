import { Controller, Get, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData } from '@kailash/contracts';
import {
  CoordElectionHistory,
  CoordGapHistory,
  CoordLeaderHistory,
  CoordLeaseHistory,
  CoordLockHistory,
  CoordMembershipHistory,
  CoordSessionHistory,
  coordElectionHistoryQuery,
  coordHistoryPageSchema,
  coordLeaseHistoryQuery,
  coordLockHistoryQuery,
  coordSessionHistoryQuery,
  parseWith,
} from '@kailash/contracts';
import { NatsRequest, QueryParameters } from '@kailash/service-kit';
import { z } from 'zod';
import { HistoryQueries } from './history-queries';

/** The NATS schema for a query string: numbers arrive as text, and are checked as numbers. */
function fromQueryString<S extends z.ZodObject>(schema: S): S {
  const numeric = (value: unknown) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      ['limit', 'leaseId', 'clientId'].includes(key) ? z.preprocess(numeric, field as z.ZodType) : field,
    ]),
  );
  return z.strictObject(shape) as unknown as S;
}

const pageQuery = fromQueryString(coordHistoryPageSchema);
const leaseQuery = fromQueryString(coordLeaseHistoryQuery);
const lockQuery = fromQueryString(coordLockHistoryQuery);
const electionQuery = fromQueryString(coordElectionHistoryQuery);
const sessionQuery = fromQueryString(coordSessionHistoryQuery);

const ALL_TYPES = {
  lease: ['granted', 'revoked', 'expired'],
  lock: ['acquired', 'released'],
  election: ['leader', 'vacant'],
  session: ['opened', 'closed'],
} as const;

/** The fact types a query asks for: one (`type`), or every type of the history. */
const typesOf = (prefix: keyof typeof ALL_TYPES, type: string | undefined): string[] =>
  (type ? [type] : ALL_TYPES[prefix]).map((name) => `${prefix}.${name}`);

/**
 * This replica's history, from its own database: who led each term, membership changes, and the
 * state machine's facts. Paginated in Raft index order (`order=desc` for the latest first); `next`
 * is the cursor of the following page (`after`). Each page says which replica answered, up to
 * which index its history is written, and the ranges it never saw.
 */
@ApiTags('history')
@Controller('history')
export class HistoryController {
  constructor(private readonly queries: HistoryQueries) {}

  @Get('leaders')
  @QueryParameters(pageQuery)
  @ApiOperation({ summary: 'Raft leaders: the term, its first index and the leader' })
  leaders(@Query() query: unknown) {
    return this.queries.leaders(parseWith(pageQuery, query, 'query'));
  }

  @Get('membership')
  @QueryParameters(pageQuery)
  @ApiOperation({ summary: 'Membership changes and the voters and learners after each' })
  membership(@Query() query: unknown) {
    return this.queries.membership(parseWith(pageQuery, query, 'query'));
  }

  @Get('gaps')
  @QueryParameters(pageQuery)
  @ApiOperation({ summary: 'Index ranges this replica never applied (restored from a snapshot past them)' })
  gaps(@Query() query: unknown) {
    return this.queries.gaps(parseWith(pageQuery, query, 'query'));
  }

  @Get('leases')
  @QueryParameters(leaseQuery)
  @ApiOperation({ summary: 'Leases granted, revoked and expired' })
  leases(@Query() query: unknown) {
    return this.leaseHistory(parseWith(leaseQuery, query, 'query'));
  }

  @Get('locks')
  @QueryParameters(lockQuery)
  @ApiOperation({ summary: 'Locks acquired and released, with their fencing tokens' })
  locks(@Query() query: unknown) {
    return this.lockHistory(parseWith(lockQuery, query, 'query'));
  }

  @Get('elections')
  @QueryParameters(electionQuery)
  @ApiOperation({ summary: 'Client elections: leaders taking office and elections left vacant' })
  elections(@Query() query: unknown) {
    return this.electionHistory(parseWith(electionQuery, query, 'query'));
  }

  @Get('sessions')
  @QueryParameters(sessionQuery)
  @ApiOperation({ summary: 'Client sessions opened and closed' })
  sessions(@Query() query: unknown) {
    return this.sessionHistory(parseWith(sessionQuery, query, 'query'));
  }

  @NatsRequest(CoordLeaderHistory)
  leadersOverNats(@Payload() data: RequestData<typeof CoordLeaderHistory>) {
    return this.queries.leaders(data);
  }

  @NatsRequest(CoordMembershipHistory)
  membershipOverNats(@Payload() data: RequestData<typeof CoordMembershipHistory>) {
    return this.queries.membership(data);
  }

  @NatsRequest(CoordGapHistory)
  gapsOverNats(@Payload() data: RequestData<typeof CoordGapHistory>) {
    return this.queries.gaps(data);
  }

  @NatsRequest(CoordLeaseHistory)
  leaseHistory(@Payload() data: RequestData<typeof CoordLeaseHistory>) {
    const { type, leaseId, ...page } = data;
    return this.queries.facts(page, { types: typesOf('lease', type), leaseId });
  }

  @NatsRequest(CoordLockHistory)
  lockHistory(@Payload() data: RequestData<typeof CoordLockHistory>) {
    const { type, leaseId, name, ...page } = data;
    return this.queries.facts(page, { types: typesOf('lock', type), leaseId, name });
  }

  @NatsRequest(CoordElectionHistory)
  electionHistory(@Payload() data: RequestData<typeof CoordElectionHistory>) {
    const { type, leaseId, name, ...page } = data;
    return this.queries.facts(page, { types: typesOf('election', type), leaseId, name });
  }

  @NatsRequest(CoordSessionHistory)
  sessionHistory(@Payload() data: RequestData<typeof CoordSessionHistory>) {
    const { type, clientId, ...page } = data;
    return this.queries.facts(page, { types: typesOf('session', type), leaseId: clientId });
  }
}
