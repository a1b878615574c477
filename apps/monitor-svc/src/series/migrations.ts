import { CreateSeries1796127885600 } from './1796127885600-create-series';

/** Migrations of the series slice, in order (see ../migrations/index.ts). */
export const seriesMigrations = [CreateSeries1796127885600];
