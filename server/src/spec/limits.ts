// Limits that keep analysis bounded on hostile or broken input ("bad input never crashes or hangs").
// Each is an assumption of ours (ASM), sized far above any real spec: ResNet-50 is ~40 KB and 5 levels deep.

/** Documents longer than this (UTF-16 code units, ~8 MB of ASCII) get one AM9001 diagnostic and no analysis. */
export const MAX_DOC_CHARS = 8 * 1024 * 1024;
/** Deepest nesting of mappings/lists accepted (specs need about 6). Deeper input gets AM9002 before parsing. */
export const MAX_DEPTH = 200;
/** Most YAML alias uses per document (a billion-laughs bomb is aliases of aliases). */
export const MAX_ALIASES = 100;
/** Most syntax-tree nodes built per document, aliases expanded (AM9004 past it). */
export const MAX_NODES = 2_000_000;
/** Most nodes produced by alias expansion (AM9003 past it). */
export const MAX_ALIAS_NODES = 10_000;
/** Most diagnostics reported per document (the rest are summarised in one). */
export const MAX_DIAGNOSTICS = 1000;
