import { Module } from '@nestjs/common';

/** Issue 4 slice: filled in by the placement work. */
@Module({})
export class PlacementModule {}
