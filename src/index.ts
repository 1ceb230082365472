/**
 * imsmap: read Messaging Server (iMS/PMDF) mappings files and answer as the MTA would.
 * One public entry; each stage of the data's way (syntax, compile, engine, access, lint, diff) exports
 * its small public face here; ldap holds the directory providers.
 */
export type * from './syntax/ast.js';
export type * from './syntax/diagnostics.js';
export { hasErrors } from './syntax/diagnostics.js';
export type * from './engine/types.js';
export * from './access/index.js';
export * from './compile/index.js';
export * from './engine/index.js';
export * from './syntax/index.js';
export * from './adapters/index.js';
export * from './cases/index.js';
export * from './lint/index.js';
export * from './diff/index.js';
export * from './ldap/index.js';
