/** Counts of one soak run (scripts/reload-soak.mjs). */
export interface SoakCounts {
  seconds: number;
  decisions: number;
  relayDecisions: number;
  relayAccepted: number;
  localAccepted: number;
  forbiddenDecisions: number;
  tupleErrors: number;
  generationsUsed: number;
  watcherReloads: number;
  operatorReloads: number;
  replaced: number;
  refused: Record<string, number>;
  refusedWithoutReason: number;
  crashes: number;
  writes: Record<string, number>;
}

/** Runs the A32 reload soak against a library module for `seconds`; `problems` is empty when A32 held. */
export function runSoak(options: { library: typeof import('../src/index.js'); seconds: number }): Promise<{ counts: SoakCounts; problems: string[] }>;
