import { describeSeedShard } from './shard';

describe('randomised fault test (shard 2 of 4)', () => {
  describeSeedShard(251, 501);
});
