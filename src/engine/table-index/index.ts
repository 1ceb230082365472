export { TableIndex } from './lookup.js';
export { entryCandidates, type CandidatesOf } from './build.js';
