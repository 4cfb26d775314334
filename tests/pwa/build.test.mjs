// The built PWA (pwa/build.mjs, what the server serves after `make run` / `make test`): one
// bundle plus its shared chunks on first load within 60 KB gzip, every screen in a chunk of its
// own, and a service worker whose shell list is exactly the built files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const haveEsbuild = existsSync(join(ROOT, 'node_modules', 'esbuild'));
if (!haveEsbuild && process.env.HALLWAY_NO_SKIP === '1') throw new Error('esbuild missing (npm ci) and HALLWAY_NO_SKIP=1');
const skip = haveEsbuild ? false : 'MISSING COMPONENT: esbuild in node_modules (npm ci)';

let dir = null;
let out = null;
let built = null;
before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'hallway-pwa-build-'));
  out = join(dir, 'pwa');
  const { build } = await import('../../pwa/build.mjs');
  built = await build(out);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const read = (p) => readFileSync(join(out, p), 'utf8');
const gz = (p) => gzipSync(readFileSync(join(out, p)), { level: 9 }).length;
function walk(d) {
  return readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [join(d, name)]));
}
function precacheList() {
  const block = read('sw.js').match(/const SHELL = \[([\s\S]*?)\];/)[1];
  return [...block.matchAll(/'([^']+)'/g)].map((m) => m[1]);
}
/** main.js and what it imports statically, followed through the chunks. */
function firstLoad() {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of read(file).matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["'](\.\/[^"']+)["']/g)) visit(join('js', m[1]));
  };
  visit('js/main.js');
  return seen;
}

test('the first load (html, css, main.js and its static chunks) fits 60 KB gzip', { skip }, () => {
  const files = ['index.html', 'css/app.css', ...firstLoad()];
  const total = files.reduce((sum, f) => sum + gz(f), 0);
  console.log(`built first load: ${files.length} files, ${(total / 1024).toFixed(1)} KB gzip`);
  assert.ok(total <= 60 * 1024, `${total} bytes`);
});

test('index.html preloads exactly the chunks main.js imports, and no screen', { skip }, () => {
  const html = read('index.html');
  const preloaded = [...html.matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]).sort();
  const chunks = [...firstLoad()].filter((f) => f !== 'js/main.js').sort();
  assert.deepEqual(preloaded, chunks);
  assert.match(html, /<script type="module" src="js\/main.js">/);
  for (const screen of ['videos-view', 'composer-view', 'search-view', 'comments-sheet']) {
    assert.ok(!preloaded.some((p) => p.includes(screen)), `${screen} loads when it opens`);
    assert.ok(walk(join(out, 'js')).some((p) => p.includes(screen)), `${screen} has a chunk of its own`);
  }
});

test('the built service worker precaches exactly the built shell, under a version of its own', { skip }, () => {
  const files = walk(out).map((p) => relative(out, p).split('\\').join('/'));
  const expected = files.filter((f) => f !== 'sw.js' && !f.startsWith('vendor/')).sort();
  const list = precacheList();
  assert.equal(list[0], './');
  assert.deepEqual(list.slice(1).sort(), expected);
  const version = read('sw.js').match(/const VERSION = '([^']+)';/)[1];
  const source = readFileSync(join(ROOT, 'pwa', 'sw.js'), 'utf8').match(/const VERSION = '([^']+)';/)[1];
  assert.match(version, new RegExp(`^${source}-[0-9a-f]{12}$`));
  assert.deepEqual(built.shell.sort(), list.sort());
});

test('every relative import in the built chunks resolves, and none reaches outside js/', { skip }, () => {
  for (const file of walk(join(out, 'js'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/["'](\.\.?\/[^"']+\.js)["']/g)) {
      assert.ok(existsSync(join(file, '..', m[1])), `${relative(out, file)} imports missing ${m[1]}`);
    }
  }
});
