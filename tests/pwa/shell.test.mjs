// The shell's files agree with each other: the service worker precaches every shell file,
// index.html preloads every module, the manifest's icons exist, and the unbuilt first load stays
// near the 60 KB (gzip) budget that the build (build.test.mjs) must meet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const PWA = fileURLToPath(new URL('../../pwa/', import.meta.url));
const read = (p) => readFileSync(join(PWA, p), 'utf8');

function walk(dir) {
  return readdirSync(join(PWA, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(PWA, path)).isDirectory() ? walk(path) : [path];
  });
}

const jsFiles = walk('js').filter((p) => p.endsWith('.js')).sort();

function precacheList() {
  const source = read('sw.js');
  const block = source.match(/const SHELL = \[([\s\S]*?)\];/)[1];
  return [...block.matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

test('the service worker precaches every shell file and nothing missing', () => {
  const list = precacheList();
  const expected = ['index.html', 'manifest.webmanifest', 'css/app.css', ...walk('icons').filter((p) => p.endsWith('.png')), ...jsFiles];
  for (const file of expected) assert.ok(list.includes(file), `sw.js SHELL lacks ${file}`);
  for (const file of list.filter((f) => f !== './')) assert.ok(existsSync(join(PWA, file)), `sw.js lists missing ${file}`);
});

/** The modules main.js pulls in statically (the first load) and those only import() reaches (lazy). */
function moduleGraph() {
  const seen = new Set();
  const lazy = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = read(file);
    for (const m of source.matchAll(/^\s*(?:import|export)\s[^;]*?from '(\.[^']+)'/gm)) visit(join(file, '..', m[1]));
    for (const m of source.matchAll(/import\('(\.[^']+)'\)/g)) lazy.add(join(file, '..', m[1]));
  };
  visit('js/main.js');
  const staticSet = new Set(seen);
  for (const file of lazy) visit(file);
  return { first: staticSet, lazy: [...seen].filter((f) => !staticSet.has(f)) };
}

test('index.html preloads every module main.js pulls in, and no lazily loaded one', () => {
  const html = read('index.html');
  const preloaded = [...html.matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
  const { first, lazy } = moduleGraph();
  for (const file of [...first].filter((f) => f !== 'js/main.js')) {
    assert.ok(preloaded.includes(file), `index.html does not preload ${file}`);
  }
  for (const file of lazy) assert.ok(!preloaded.includes(file), `${file} loads when its screen opens: do not preload it`);
  for (const file of jsFiles) assert.ok(first.has(file) || lazy.includes(file), `${file} is imported by nothing`);
  assert.match(html, /<html lang="en">/);
  assert.match(html, /<script type="module" src="js\/main.js">/);
});

test('every relative import resolves to a file', () => {
  for (const file of jsFiles) {
    for (const m of read(file).matchAll(/from '(\.[^']+)'/g)) {
      const target = join(PWA, file, '..', m[1]);
      assert.ok(existsSync(target), `${file} imports missing ${m[1]}`);
    }
  }
});

test('no module sets innerHTML/outerHTML or uses insertAdjacentHTML', () => {
  for (const file of jsFiles) {
    assert.doesNotMatch(read(file), /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, file);
  }
});

test('the manifest is installable: icons exist, standalone, start_url', () => {
  const manifest = JSON.parse(read('manifest.webmanifest'));
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.start_url);
  const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
  assert.ok(sizes.includes('192x192 any'));
  assert.ok(sizes.includes('512x512 any'));
  assert.ok(sizes.includes('512x512 maskable'));
  for (const icon of manifest.icons) assert.ok(existsSync(join(PWA, icon.src)), icon.src);
});

// The 60 KB budget applies to what is served: the build (tests/pwa/build.test.mjs). Unbuilt, the
// same modules are only a fallback; this keeps them from growing far past the budget unnoticed.
test('first load of the unbuilt modules stays near the budget (screens loaded on demand excluded)', () => {
  const files = ['css/app.css', ...moduleGraph().first, 'index.html'];
  const total = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(PWA, f)), { level: 9 }).length, 0);
  console.log(`unbuilt first load: ${files.length} files, ${(total / 1024).toFixed(1)} KB gzip`);
  assert.ok(total <= 75 * 1024, `${total} bytes`);
});

test('file names are kebab-case', () => {
  for (const file of jsFiles) assert.match(relative('js', file), /^([a-z0-9-]+\/)*[a-z0-9-]+\.js$/, file);
});
