import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import type { LintFormatter } from './report.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export type { LintFormatter, LintReport } from './report.js';

/** Output formats of `imsmap lint` by name. */
export const lintFormatters: Record<string, LintFormatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};
