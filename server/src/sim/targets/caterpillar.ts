// Placeholder until the caterpillar model lands: the generic roofline.
import { rooflineFallback } from './roofline';

export const caterpillarSim = rooflineFallback('caterpillar');
