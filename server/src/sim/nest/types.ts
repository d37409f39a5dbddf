// The loop-nest model's vocabulary: a problem (dimensions, bounds, data spaces as affine projections of the
// dimensions), a spatial architecture (storage levels outermost first over an array of compute units) and a mapping
// (per level: temporal factors and loop order, spatial factors, which data spaces the level keeps). The semantics are
// Timeloop's (Parashar et al., ISPASS 2019); analyze.ts computes the access counts, cycles and energy.

/** One term of a data-space coordinate: coef x dimension index. */
export interface Term {
  dim: string;
  coef: number;
}

/** A tensor of the problem: each coordinate is a sum of terms (Inputs' h = stride*p + dilation*r). */
export interface DataSpace {
  name: string;
  /** Written by the computation (outputs, partial sums): read-modify-write, its first write needs no read. */
  readWrite: boolean;
  projection: Term[][];
}

export interface Problem {
  name: string;
  dims: string[];
  bounds: Record<string, number>;
  dataSpaces: DataSpace[];
}

/**
 * Energy per action of a storage level, pJ per vector access (block of `blockSize` words); leak per cycle and instance.
 */
export interface LevelEnergy {
  read: number;
  write: number;
  update: number;
  leak: number;
}

export interface StorageLevel {
  name: string;
  /** DRAM, SRAM, regfile, or any class name. */
  cls: string;
  /** Capacity in words per instance; undefined = unbounded (e.g. DRAM). */
  sizeWords?: number;
  /** Words per access (Timeloop's block size = width / datawidth). */
  blockSize: number;
  wordBits: number;
  /** Instances in the whole architecture. */
  instances: number;
  meshX: number;
  meshY: number;
  /** Words per cycle per instance; undefined = unlimited. */
  readBandwidth?: number;
  writeBandwidth?: number;
  sharedBandwidth?: number;
  multipleBuffering: number;
  energy: LevelEnergy;
  /** Data spaces this level may hold (undefined: any). */
  mayKeep?: string[];
  /** Data spaces this level must not hold. */
  mustBypass?: string[];
  /** Data spaces this level must hold ('*': every one it is not told to bypass). */
  mustKeep?: string[] | '*';
  /**
   * A sibling after the first in a Timeloop `!Parallel` group (the first's name): the group is read as consecutive
   * levels whose loops all sit at the first sibling, so every sibling holds the tile below the group, as if side by
   * side.
   */
  parallelOf?: string;
}

export interface ComputeLevel {
  name: string;
  cls: string;
  instances: number;
  meshX: number;
  meshY: number;
  /** pJ per compute (MAC). */
  energy: number;
}

export interface SpatialArch {
  name: string;
  /** Storage levels, outermost first. */
  levels: StorageLevel[];
  compute: ComputeLevel;
  /** Seconds per cycle. */
  cycleSeconds: number;
}

/** The mapping at one storage level. */
export interface LevelMapping {
  /** Temporal factor per dimension (missing = 1). */
  temporal: Record<string, number>;
  /** Temporal loop order, outermost first (dimensions missing from it are placed inside the listed ones). */
  order: string[];
  /** Spatial factor per dimension (missing = 1): this level's tile is split over the instances below it. */
  spatial: Record<string, number>;
  /** Spatial dimensions laid along X (the rest along Y). */
  spatialX: string[];
  /** Data spaces kept at this level; the others bypass it. */
  keep: string[];
}

/** One LevelMapping per storage level, aligned with SpatialArch.levels. */
export type Mapping = LevelMapping[];
