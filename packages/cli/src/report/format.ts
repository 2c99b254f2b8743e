/** Text rendering shared by decode, verify, lint and explain. Only words and layout; no decisions. */
import type { Finding, Problem } from 'daily-tokens';
import type { ClaimRow } from 'daily-tokens/explain';
import type { Colors } from '../io/context.js';

const MAX_VALUE = 160;

/** A claim value on one line: strings bare, everything else as compact JSON, long values cut. */
export function valueText(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  // Claim values are attacker-controlled: escape control characters so they cannot drive the terminal.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  s = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}… (${s.length} chars)` : s;
}

/** "in 42 min" / "expired 3 days ago" / "valid from in 2 h": times said the way the claim means them. */
export function relativeWords(claim: string, relative: string): string {
  const past = relative.endsWith(' ago');
  if (claim === 'exp') return past ? `expired ${relative}` : `expires ${relative}`;
  if (claim === 'nbf') return past ? `usable since ${relative}` : `not usable until ${relative}`;
  if (claim === 'iat') return `issued ${relative}`;
  return relative;
}

export function timeText(row: ClaimRow): string | undefined {
  return row.time ? `${row.time.iso} (${relativeWords(row.claim, row.time.relative)})` : undefined;
}

/** Claims as an aligned table: claim, full name, value (and its time or words), optionally the meaning. */
export function renderClaimRows(rows: readonly ClaimRow[], c: Colors, withMeaning: boolean): string[] {
  const claimWidth = Math.max(5, ...rows.map((r) => r.claim.length));
  const nameWidth = Math.max(8, ...rows.map((r) => (r.name ?? '?').length));
  const indent = ' '.repeat(2 + claimWidth + 2 + nameWidth + 2);
  const lines: string[] = [];
  for (const row of rows) {
    const known = row.name !== undefined;
    const name = known ? (row.name as string) : '(unknown)';
    const extra = timeText(row) ?? row.words;
    const head = `  ${c.bold(row.claim.padEnd(claimWidth))}  ${(known ? c.cyan : c.yellow)(name.padEnd(nameWidth))}  ${valueText(row.value)}`;
    lines.push(extra ? `${head}  ${c.dim('·')} ${extra}` : head);
    if (withMeaning || !known) lines.push(`${indent}${(known ? c.dim : c.yellow)(row.meaning)}`);
  }
  return lines;
}

const SEVERITY_COLOR = { error: 'red', warning: 'yellow', info: 'blue' } as const;

export function renderProblems(problems: readonly Problem[], c: Colors): string[] {
  const lines: string[] = [];
  for (const p of problems) {
    lines.push(`  ${c.red('✗')} ${c.bold(p.code)}${p.claim ? c.dim(` (${p.claim})`) : ''}: ${p.message}`);
    if (p.fix) lines.push(`    ${c.green('fix:')} ${p.fix}`);
    if (hasEvidence(p)) lines.push(c.dim(`    why: ${p.evidence}`));
  }
  return lines;
}

/** Explain adds to each problem and finding where its fact comes from (daily-tokens/explain EVIDENCE). */
const hasEvidence = (x: object): x is { evidence: string } =>
  typeof (x as { evidence?: unknown }).evidence === 'string';

/** Warnings of a token Daily accepts: claims it drops, and what it applies that looks like a mistake. */
export function renderWarnings(warnings: readonly Problem[], c: Colors): string[] {
  const lines: string[] = [];
  for (const p of warnings) {
    lines.push(`  ${c.yellow('!')} ${c.bold(p.code)}${p.claim ? c.dim(` (${p.claim})`) : ''}: ${p.message}`);
    lines.push(`    ${c.green('fix:')} ${p.fix}`);
  }
  return lines;
}

export function renderFindings(findings: readonly Finding[], c: Colors): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    const color = c[SEVERITY_COLOR[f.severity]];
    lines.push(
      `  ${color(f.severity.padEnd(7))} ${c.bold(f.rule)}${f.claim ? c.dim(` (${f.claim})`) : ''}: ${f.message}`,
    );
    if (f.fix) lines.push(`          ${c.green('fix:')} ${f.fix}`);
    if (hasEvidence(f)) lines.push(c.dim(`          why: ${f.evidence}`));
  }
  return lines;
}

export function countBySeverity(findings: readonly Finding[]): Record<'error' | 'warning' | 'info', number> {
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  return n;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Writes a value as stable, pretty JSON plus a newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
