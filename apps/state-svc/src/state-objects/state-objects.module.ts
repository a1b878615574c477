import { Module } from '@nestjs/common';

/** Issue 4 slice: filled in by the state-objects work. */
@Module({})
export class StateObjectsModule {}
