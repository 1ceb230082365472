import { formatReply } from '../access/reading.js';
import { TupleError } from '../access/schemas.js';
import { auditMappings, type AuditCheck, type AuditReport } from '../lint/audit.js';
import { ConfigError } from '../lint/config-types.js';
import { configResolver } from '../lint/node.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { escapeControls } from '../syntax/escape.js';
import { isValidIpAddress } from '../syntax/ip.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { loadCommandFile } from './load.js';

/** `imsmap audit FILE [--gateway IP] [--json]`: the anti-relay audit; exit 1 for an open relay or an internal gateway. */
export const auditCommand: CommandRunner = {
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one mappings file');
    const file = positionals[0]!;
    const gateway = values.gateway as string | undefined;
    if (gateway !== undefined && !isValidIpAddress(gateway)) throw new UsageError(`--gateway takes an IP address, not '${gateway}'`);
    const config = configResolver(io.cwd, values.config as string | undefined)(file);
    if (config instanceof ConfigError) {
      io.stderr.write(`imsmap audit: ${config.message}\n`);
      return EXIT_USAGE;
    }
    const parsed = loadCommandFile(file, io);
    if (parsed === null) return EXIT_USAGE;
    const report = auditMappings(parsed, { channels: config.channels, gateway });
    // The gateway was checked above, with the same test the audit applies.
    if (report instanceof TupleError) throw new UsageError(report.message);

    // M13: the configured directory is never asked; its lookups count as unknown, and the report says so.
    const notes = config.ldap ? [DIRECTORY_NOT_QUERIED] : [];
    io.stdout.write(values.json ? JSON.stringify({ ...auditJson(file, report), notes }) + '\n' : auditText(file, report, gateway, notes));
    if (hasErrors(parsed.diagnostics)) return EXIT_USAGE;
    return report.openRelay === 'yes' || report.gateway?.internal === true ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** A check without the full decisions (their traces are `imsmap decide --debug`'s business). */
function checkJson(check: AuditCheck) {
  return {
    ...check,
    stages: check.stages.map(({ stage, accepted, summary, decision }) => ({
      stage,
      accepted,
      summary,
      ...(decision.reply ? { reply: formatReply(decision.reply) } : {}),
    })),
  };
}

function auditJson(file: string, report: AuditReport) {
  return {
    file,
    ...report,
    ...(report.relayProof ? { relayProof: checkJson(report.relayProof) } : {}),
    checks: report.checks.map(checkJson),
  };
}

const DIRECTORY_NOT_QUERIED =
  'LDAP lookups are not queried by the audit (M13): checks that depend on a URL or domain lookup assume it fails.';

/** The sentences, then every check of the battery with how far it got. */
function auditText(file: string, report: AuditReport, gateway: string | undefined, notes: readonly string[]): string {
  const lines = [`Audit of ${file}${gateway === undefined ? '' : ` (gateway ${gateway})`}`, ''];
  lines.push(...report.summary, ...notes, '', 'Checks:');
  const width = Math.max(...report.checks.map((check) => check.id.length));
  for (const check of report.checks) {
    const verdict = check.delivered ? 'delivered' : 'refused';
    const channels = check.srcChannel && check.dstChannel ? `, ${check.srcChannel} → ${check.dstChannel}` : '';
    lines.push(`  ${check.id.padEnd(width)}  ${verdict}: ${check.description}${check.internal ? ' (client internal)' : ''}${channels}`);
    for (const stage of check.stages) lines.push(`  ${' '.repeat(width)}    ${stage.stage}: ${stage.summary}`);
    if (check.unknowns.length > 0) lines.push(`  ${' '.repeat(width)}    depends on ${check.unknowns.join(', ')} (assumed to fail)`);
  }
  return lines.map(escapeControls).join('\n') + '\n';
}
