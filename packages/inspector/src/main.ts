/**
 * Wires the page: token in (paste or `#token=`), decoded parts, claims, timeline and lint out, the
 * verify box and the build form. Everything runs on the core library in this page; nothing here
 * makes a network request.
 */
import {
  createMeetingToken,
  decodeUnverified,
  lintMeetingToken,
  MAX_TOKEN_LENGTH,
  MeetingTokenError,
  parseDuration,
} from 'daily-tokens';
import { createBuildForm } from './build-form.js';
import { refusalIssues, renderBuildIssues } from './build-issues.js';
import { renderClaims, renderHeader, renderParts } from './claims-view.js';
import { copyText } from './clipboard.js';
import { byId, h } from './dom.js';
import { renderFindings } from './lint-view.js';
import { renderTimeline } from './timeline.js';
import { linkFor, MAX_PASTE_LENGTH, normalizeToken, queryHasToken, tokenFromFragment } from './token-source.js';
import { renderVerify, Verifier } from './verify-panel.js';
import { Doctor } from './doctor-panel.js';

const tokenInput = byId<HTMLTextAreaElement>('token');
const tokenStatus = byId('token-status');
const decodedBox = byId('decoded');
const lintSection = byId('lint-section');
const verifyKey = byId<HTMLInputElement>('verify-key');
const verifyDomain = byId<HTMLInputElement>('verify-domain');
const verifyRoom = byId<HTMLInputElement>('verify-room');
const verifyIgnoreNbf = byId<HTMLInputElement>('verify-ignore-nbf');
const verifyResult = byId('verify-result');
const lintHipaa = byId<HTMLInputElement>('lint-hipaa');
const lintMaxLifetime = byId<HTMLInputElement>('lint-max-lifetime');
const copyLinkButton = byId<HTMLButtonElement>('copy-link');
const clearButton = byId<HTMLButtonElement>('clear-token');

/** The token currently inspected, after normalizing. */
let token = '';

const nowDate = () => new Date(Math.floor(Date.now() / 1000) * 1000);

const verifier = new Verifier((state, body) => renderVerify(verifyResult, state, body));
const doctorRoom = byId<HTMLTextAreaElement>('doctor-room');
const doctorDomain = byId<HTMLTextAreaElement>('doctor-domain');
const doctor = new Doctor(byId('doctor-result'));

function runDoctor(): void {
  void doctor.check({ token, room: doctorRoom.value, domain: doctorDomain.value, apiKey: verifyKey.value }, nowDate());
}

function runVerify(): void {
  void verifier.check(
    {
      token,
      apiKey: verifyKey.value,
      domainId: verifyDomain.value,
      roomName: verifyRoom.value,
      ignoreNbf: verifyIgnoreNbf.checked,
    },
    nowDate(),
  );
}

function runLint(): void {
  let maxLifetime: number;
  try {
    maxLifetime = parseDuration(lintMaxLifetime.value, 'Longest acceptable lifetime');
    byId('lint-options-status').textContent = '';
    lintMaxLifetime.removeAttribute('aria-invalid');
  } catch (e) {
    byId('lint-options-status').textContent = (e as Error).message;
    lintMaxLifetime.setAttribute('aria-invalid', 'true');
    return;
  }
  const key = verifyKey.value;
  const findings = lintMeetingToken(token, {
    now: nowDate(),
    hipaa: lintHipaa.checked,
    maxLifetime,
    // With a key at hand, lint also judges its strength (the key is never shown).
    ...(key !== '' && key.trim() === key && key.length <= 4096 ? { apiKey: key } : {}),
  });
  renderFindings(byId('lint'), findings);
}

/** Re-reads the token field and redraws everything that depends on the token. */
function inspect(): void {
  const raw = tokenInput.value;
  if (raw.length > MAX_PASTE_LENGTH) {
    token = '';
    tokenStatus.textContent = `That is ${raw.length} characters; a meeting token is at most ${MAX_TOKEN_LENGTH}. Paste only the token.`;
    tokenStatus.dataset.kind = 'error';
  } else {
    token = normalizeToken(raw);
    tokenStatus.textContent = '';
    delete tokenStatus.dataset.kind;
  }
  copyLinkButton.disabled = token === '';
  clearButton.disabled = raw === '';
  decodedBox.hidden = true;
  lintSection.hidden = token === '';
  if (token !== '') {
    if (token !== raw.trim())
      tokenStatus.textContent = 'Stripped the Bearer prefix, quotes or whitespace around the token.';
    renderParts(byId('token-parts'), token);
    try {
      const decoded = decodeUnverified(token);
      const now = Math.floor(Date.now() / 1000);
      renderHeader(byId('token-header'), decoded);
      renderTimeline(byId('timeline'), decoded.claims, now);
      renderClaims(byId('claims'), decoded, now);
      decodedBox.hidden = false;
    } catch (e) {
      tokenStatus.textContent =
        e instanceof MeetingTokenError ? `${e.message}. Check that you copied the whole token.` : String(e);
      tokenStatus.dataset.kind = 'error';
    }
    runLint();
  }
  runVerify();
  runDoctor();
}

function loadToken(value: string): void {
  tokenInput.value = value;
  inspect();
}

// Token sources.
tokenInput.maxLength = MAX_PASTE_LENGTH * 2;
tokenInput.addEventListener('input', inspect);
const buildDetails = byId<HTMLDetailsElement>('build-details');
function fromFragment(): void {
  const fromHash = tokenFromFragment(location.hash);
  if (fromHash !== undefined) loadToken(fromHash);
  // The "Build" link (and a bookmark of it) means: show the form.
  if (location.hash === '#build-section') buildDetails.open = true;
}
window.addEventListener('hashchange', fromFragment);
if (queryHasToken(location.search)) {
  tokenStatus.textContent =
    'A token in the query string (?token=) is sent to the server with the page request, so it is not read; use a #token= link instead.';
  tokenStatus.dataset.kind = 'error';
}
clearButton.addEventListener('click', () => {
  loadToken('');
  if (location.hash) history.replaceState(null, '', location.href.split('#')[0]);
  tokenInput.focus();
});
copyLinkButton.addEventListener('click', async () => {
  const link = linkFor(location.href, token);
  const ok = await copyText(link);
  byId('link-status').textContent = ok ? 'Link copied. Anyone with the link can read the token.' : link;
});

// Lint options and verify inputs re-check at once; nothing stays stale.
lintHipaa.addEventListener('change', () => token && runLint());
lintMaxLifetime.addEventListener('input', () => token && runLint());
verifyIgnoreNbf.addEventListener('change', runVerify);
for (const el of [verifyKey, verifyDomain, verifyRoom]) {
  el.addEventListener('input', () => {
    runVerify();
    if (token && el === verifyKey) runLint();
    if (el === verifyKey) runDoctor();
  });
}
for (const el of [doctorRoom, doctorDomain]) el.addEventListener('input', runDoctor);

// Relative times ("in 42 min") and expiry move on with the clock.
setInterval(() => {
  if (token !== '' && document.visibilityState === 'visible') inspect();
}, 30_000);

// Build.
const buildForm = createBuildForm();
byId('build-fields').replaceChildren(...buildForm.elements);
const buildIssues = byId('build-issues');
const builtToken = byId<HTMLTextAreaElement>('built-token');
const buildOutput = byId('build-output');

byId<HTMLFormElement>('build-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  buildOutput.hidden = true;
  byId('copy-status').textContent = '';
  const { properties, issues } = buildForm.collect();
  const apiKey = byId<HTMLInputElement>('build-key').value;
  const expiresIn = byId<HTMLInputElement>('build-expires-in').value.trim();
  const noExpiry = byId<HTMLInputElement>('build-no-expiry').checked;
  if (apiKey === '')
    issues.push({
      path: 'apiKey',
      message: "apiKey is empty: enter the domain's API key, which signs the token",
      severity: 'error',
    });
  if (issues.some((i) => i.severity === 'error')) {
    renderBuildIssues(buildIssues, issues);
    return;
  }
  try {
    const created = await createMeetingToken(properties, {
      apiKey,
      domainId: byId<HTMLInputElement>('build-domain').value.trim(),
      allRooms: byId<HTMLInputElement>('build-all-rooms').checked,
      noExpiry,
      // "No expiry" wins over the default text in "Expires in"; the library refuses a real contradiction (exp + no expiry).
      ...(noExpiry || expiresIn === '' ? {} : { expiresIn }),
    });
    renderBuildIssues(buildIssues, []);
    builtToken.value = created;
    buildOutput.hidden = false;
    byId('copy-token').focus();
  } catch (e) {
    renderBuildIssues(buildIssues, refusalIssues(e));
  }
});

byId('copy-token').addEventListener('click', async () => {
  const ok = await copyText(builtToken.value, builtToken);
  byId('copy-status').textContent = ok ? 'Copied to the clipboard.' : 'Could not copy: select the token and copy it.';
});
byId('inspect-built').addEventListener('click', () => {
  loadToken(builtToken.value);
  tokenInput.focus();
  tokenInput.scrollIntoView({ block: 'start' });
});

renderVerify(verifyResult, 'not-checked', [h('p', {}, 'Paste a token above to check it.')]);
fromFragment();
