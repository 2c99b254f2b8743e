/** Why the Build form made no token: every problem by its path, with a button to the field concerned. */
import type { ValidationIssue } from 'daily-tokens';
import { h, replace } from './dom.js';
import { fieldId } from './build-form.js';

/** The signing inputs, by the createMeetingToken option name their problems start with. */
const SIGNING_FIELDS: Record<string, { id: string; label: string }> = {
  apiKey: { id: 'build-key', label: 'API key' },
  domainId: { id: 'build-domain', label: 'Domain id' },
  expiresIn: { id: 'build-expires-in', label: 'Expires in' },
  noExpiry: { id: 'build-no-expiry', label: 'No expiry' },
  allRooms: { id: 'build-all-rooms', label: 'All rooms' },
};

/**
 * The issues of a refused token (`MeetingTokenError.issues`), or a caller mistake (`TypeError`) placed
 * on the signing input its message names.
 */
export function refusalIssues(error: unknown): ValidationIssue[] {
  if (error !== null && typeof error === 'object' && Array.isArray((error as { issues?: unknown }).issues)) {
    return [...(error as { issues: ValidationIssue[] }).issues];
  }
  const message = error instanceof Error ? error.message : String(error);
  const option = /^(\w+)/.exec(message)?.[1] ?? '';
  return [{ path: option in SIGNING_FIELDS ? option : '', message, severity: 'error' }];
}

/** The input a problem's path points at: a signing input, a property or its enclosing property. */
function targetOf(path: string): HTMLElement | null {
  const signing = SIGNING_FIELDS[path];
  if (signing) return document.getElementById(signing.id);
  const el =
    document.getElementById(fieldId(path.split('[')[0] ?? '')) ??
    document.getElementById(fieldId(path.split('.')[0] ?? ''));
  if (!el || el.matches('input, select, textarea')) return el;
  return el.querySelector<HTMLElement>('input, select, textarea');
}

export function renderBuildIssues(root: HTMLElement, issues: readonly ValidationIssue[]): void {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) {
    replace(root);
    return;
  }
  replace(
    root,
    h('p', { class: 'verdict' }, `Not created: ${errors.length} problem${errors.length === 1 ? '' : 's'}.`),
    h(
      'ul',
      { class: 'problems' },
      ...errors.map((issue) => {
        const target = targetOf(issue.path);
        const button = target ? h('button', { type: 'button', class: 'link' }, 'go to field') : null;
        button?.addEventListener('click', () => target?.focus());
        const label = SIGNING_FIELDS[issue.path]?.label;
        // A TypeError's message already starts with the option name; show the field's label instead.
        const message = label ? issue.message.replace(/^\w+\s*/, '') : issue.message;
        return h(
          'li',
          { class: 'problem', 'data-path': issue.path },
          issue.path ? h('code', {}, label ?? issue.path) : null,
          issue.path ? ' ' : '',
          message,
          button ? ' ' : '',
          button,
        );
      }),
    ),
  );
}
