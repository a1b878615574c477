import { describeSeedShard } from './shard';

describe('randomised fault test (shard 4 of 4)', () => {
  describeSeedShard(751, 1001);
});
