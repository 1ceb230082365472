/**
 * imsmap: read Messaging Server (iMS/PMDF) mappings files and answer as the MTA would.
 * The Node entry; each stage of the data's way (syntax, compile, engine, access, lint, diff) exports
 * its small public face here, with the file system as the default where a stage reads files
 * (the stages' node.ts; browser.ts is the same without them); ldap holds the directory providers.
 */
export * from './browser.js';
export * from './adapters/index.js';
export * from './cases/index.js';
export * from './diff/index.js';
export * from './ldap/index.js';
export { fileSequence, loadGeneralDatabase } from './engine/node.js';
export { fileSystemReader, loadMappings, parseMappings } from './syntax/node.js';
export {
  configResolver,
  findLintConfig,
  lintFile,
  lintFormatters,
  lintMappings,
  loadLintConfig,
  type LintFormatter,
  type LintReport,
} from './lint/node.js';
