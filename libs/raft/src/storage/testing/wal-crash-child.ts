/**
 * Child process for the kill -9 recovery test: appends batches to a DiskStorage forever, printing
 * the last index of each batch only after its fdatasync returned. The parent SIGKILLs it mid-stream.
 * Mode `deferred` saves with saveDeferringSync (the fdatasync on the thread pool) and reports a batch
 * once its promise resolved, while the next batch is already being written.
 */
import { SeededRandom } from '../../core/random';
import { DiskStorage } from '../disk-storage';
import { expectedEntryData } from './wal-crash-data';

const [directory = '', seedText = '1', mode = 'sync'] = process.argv.slice(2);
const random = new SeededRandom(Number(seedText));
const storage = DiskStorage.open(directory, { voters: [1], learners: [] });
let last = storage.lastIndex();
process.stdout.write(`ready ${last}\n`);
void (async () => {
  for (;;) {
    const count = 1 + random.nextInt(32);
    const entries = Array.from({ length: count }, (_, i) => ({
      term: 1,
      index: last + 1 + i,
      type: 'normal' as const,
      data: expectedEntryData(last + 1 + i),
    }));
    const batch = { entries, hardState: { term: 1, vote: 1, commit: last }, mustSync: true };
    if (mode === 'deferred') await storage.saveDeferringSync(batch);
    else storage.save(batch);
    last += count;
    process.stdout.write(`synced ${last}\n`);
    if (random.chance(0.02) && last > 20) {
      storage.createSnapshot(last - 5, { voters: [1], learners: [] }, expectedEntryData(last - 5), last - 15);
    }
  }
})();
