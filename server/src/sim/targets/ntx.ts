// Placeholder until the ntx model lands: the generic roofline.
import { rooflineFallback } from './roofline';

export const ntxSim = rooflineFallback('ntx');
