// The shell obeys the server's Content-Security-Policy (server/lib/security_headers.py): no inline
// script, style or event handler in index.html, as written and as the build rewrites it, and the
// DOM helper sets styles through the CSSOM, since the policy refuses style attributes.
// tests/e2e/test_csp.py drives the whole PWA under the policy in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteIndex } from '../../pwa/build.mjs';

const PWA = fileURLToPath(new URL('../../pwa/', import.meta.url));
const index = readFileSync(join(PWA, 'index.html'), 'utf8');

function inlineCode(html) {
  const found = [];
  for (const [tag, attrs] of html.matchAll(/<script\b([^>]*)>/gi)) if (!/\bsrc=/.test(attrs)) found.push(tag);
  for (const [tag] of html.matchAll(/<style\b[^>]*>/gi)) found.push(tag);
  for (const [attr] of html.matchAll(/\s(?:style|on[a-z]+)\s*=/gi)) found.push(attr.trim());
  for (const [url] of html.matchAll(/(?:href|src)\s*=\s*["']?\s*javascript:/gi)) found.push(url);
  return found;
}

test('index.html has no inline script, style or handler, before and after the build', () => {
  assert.deepEqual(inlineCode(index), []);
  assert.deepEqual(inlineCode(rewriteIndex(index, ['js/chunk-ABC.js'])), []);
});

test('el() gives styles to the CSSOM, never to a style attribute', async () => {
  const attributes = {};
  const node = { style: { cssText: '' }, setAttribute: (name, value) => { attributes[name] = value; }, append() {} };
  globalThis.document = { createElement: () => node, createTextNode: (text) => text };
  globalThis.Node = class {};
  try {
    const { el } = await import('../../pwa/js/components/dom.js');
    el('a', { class: 'avatar', style: '--hue: 210', 'aria-hidden': 'true' });
  } finally {
    delete globalThis.document;
    delete globalThis.Node;
  }
  assert.equal(node.style.cssText, '--hue: 210');
  assert.deepEqual(attributes, { 'aria-hidden': 'true' });
});
