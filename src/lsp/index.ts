/**
 * The language-server stage: diagnostics, hover, navigation, completion, quick fixes and probes for
 * mappings files over the Language Server Protocol, built on the syntax, lint, engine and access
 * stages. Loaded only by `imsmap lsp`, so that other commands never load the protocol packages.
 */
export { runLanguageServer, toLspDiagnostic, type ServerStreams } from './server.js';
export { TRY_PROBE_COMMAND, type ProbeAnswer, type ProbeRequest, type ProbeStep } from './probe.js';
export { MappingsWorkspace, type CheckedDocument } from './workspace.js';
