import { describeSeedShard } from './shard';

describe('randomised fault test (shard 3 of 4)', () => {
  describeSeedShard(501, 751);
});
