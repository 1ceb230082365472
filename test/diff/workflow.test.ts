// Issue 16: the pull-request workflow of docs/ci-github-actions.md, run on a sample layout. A temporary
// git repository gets a base commit and a head commit that drops the anti-relay entry; the "Diff
// against the base commit" step runs as the workflow writes it (bash, the base SHA substituted, the
// built CLI as `imsmap` on PATH), and its Markdown comment and exit status are checked.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoDir = path.resolve(import.meta.dirname, '../..');

/** The `run: |` script of a named step of the docs' mappings-diff workflow. */
function stepScript(name: string): string {
  const doc = readFileSync(path.join(repoDir, 'docs/ci-github-actions.md'), 'utf8');
  const workflow = /```yaml\nname: mappings-diff\n([\s\S]*?)```/.exec(doc)![1]!;
  const lines = workflow.split('\n');
  const start = lines.findIndex((line) => line.trim() === `- name: ${name}`);
  const run = lines.findIndex((line, index) => index > start && line.trim() === 'run: |');
  const indent = lines[run + 1]!.length - lines[run + 1]!.trimStart().length;
  const body: string[] = [];
  for (const line of lines.slice(run + 1)) {
    if (line.trim() !== '' && line.length - line.trimStart().length < indent) break;
    body.push(line.slice(indent));
  }
  return body.join('\n');
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=imsmap', '-c', 'user.email=imsmap@example.org', ...args], { cwd, encoding: 'utf8' });
}

describe('the pull-request diff workflow of the docs', () => {
  it('comments a weaker change in Markdown and records exit status 1', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'imsmap-workflow-'));
    const checkout = path.join(work, 'repo');
    mkdirSync(path.join(checkout, 'config'), { recursive: true });
    git(checkout, 'init', '-q');
    copyFileSync(path.join(repoDir, 'fixtures/diff/dropped-anti-relay/old.mappings'), path.join(checkout, 'config/mappings'));
    git(checkout, 'add', '.');
    git(checkout, 'commit', '-qm', 'base');
    const base = git(checkout, 'rev-parse', 'HEAD').trim();
    copyFileSync(path.join(repoDir, 'fixtures/diff/dropped-anti-relay/new.mappings'), path.join(checkout, 'config/mappings'));
    git(checkout, 'commit', '-qam', 'head: drop the anti-relay entry');

    // `npm install --global imsmap`, as the workflow does it: the built CLI on PATH.
    const bin = path.join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'imsmap'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoDir, 'dist/cli/main.js')}" "$@"\n`);
    chmodSync(path.join(bin, 'imsmap'), 0o755);
    const output = path.join(work, 'github-output');
    writeFileSync(output, '');

    const script = stepScript('Diff against the base commit').replaceAll('${{ github.event.pull_request.base.sha }}', base);
    const run = spawnSync('bash', ['-e', '-c', script], {
      cwd: checkout,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('status=1\n');
    // The annotations go to the job log on the new file's lines.
    expect(run.stdout).toMatch(/^::error title=imsmap diff%3A weaker::ORIG_SEND_ACCESS no longer refuses it/m);

    const comment = readFileSync(path.join(checkout, 'diff.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe('### imsmap diff: 🔴 weaker');
    expect(comment).toContain('`old.mappings` → `config/mappings`: 3 differences');
    expect(comment).toContain('open relay: no → yes');
    expect(comment).toMatch(/\| weaker \| relay now possible \| `decide \{"stage":"rcpt"/);
    expect(comment).toContain('removed (old line 21): tcp_local\\|*\\|tcp_local\\|*  $NRelaying$ not$ allowed');
  });
});
