// The editor's number formatting is the simulator's (sim/units.ts): one implementation for hints, hovers, the CLI
// and the explanations.
export * from '../sim/units';
