import { describeSeedShard } from './shard';

describe('randomised fault test (shard 1 of 4)', () => {
  describeSeedShard(1, 251);
});
