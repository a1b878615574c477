import { CreateSeries1796127885600 } from './1796127885600-create-series';
import { PartitionRollups1796133974600 } from './1796133974600-partition-rollups';
import { MaterialisedRollups1796140000000 } from './1796140000000-materialised-rollups';
import { RollupQuantiles1796160000000 } from './1796160000000-rollup-quantiles';

/** Migrations of the series slice, in order (see ../migrations/index.ts). */
export const seriesMigrations = [
  CreateSeries1796127885600,
  PartitionRollups1796133974600,
  MaterialisedRollups1796140000000,
  RollupQuantiles1796160000000,
];
