import { SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

const READS_PROJECTION = 'kailash:reads-projection';

/**
 * Names the projections a query handler reads (on a method or its controller), e.g.
 * `@ReadsProjection('edges')`. A request that carries a minimum sequence (read-your-writes) is
 * answered only once each of them has applied it.
 */
export const ReadsProjection = (...projections: [string, ...string[]]) =>
  SetMetadata(READS_PROJECTION, projections);

export const projectionsReadBy = (
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndOverride']>[1],
) => reflector.getAllAndOverride<readonly string[] | undefined>(READS_PROJECTION, targets) ?? [];
