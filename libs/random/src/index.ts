export { seededNormal, seededRandom } from './seeded-random';
