/**
 * The diff stage: what an edit of a mappings file does. The structure (tables and entries added,
 * removed, changed, moved), the probes the two versions answer differently, and the safety verdict.
 */
export { diffMappings, type DiffOptions, type DiffReport, type ProbeDifference, type Reordering } from './diff.js';
export type { Answer, FieldChange, Safety } from './compare.js';
export type { ProbeSource } from './probes.js';
export type { EntryChange, EntryPlace, TableChange } from './structure.js';
export { diffFormatters, type DiffFormatter, type DiffLabels } from './format.js';
