import { Module } from '@nestjs/common';

/** Issue 4 slice: filled in by the leases work. */
@Module({})
export class LeasesModule {}
