/**
 * imsmap for browsers: the stages from syntax to access decisions and lint, with no file system.
 * Includes are read only through the reader a caller gives (memoryReader), `$#…#` has no sequence
 * files unless a provider is given, and there are no adapters, case files or CLI.
 */
export type * from './syntax/ast.js';
export type * from './syntax/diagnostics.js';
export { hasErrors } from './syntax/diagnostics.js';
export type * from './engine/types.js';
export * from './access/index.js';
export * from './compile/index.js';
export * from './engine/index.js';
export * from './syntax/index.js';
export * from './lint/index.js';
