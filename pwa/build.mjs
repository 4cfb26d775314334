// Builds the PWA for serving (run by `make run` and `make test`): the modules of the first load
// bundled and minified into js/main.js, each screen loaded on demand in its own chunk, the CSS
// minified, index.html preloading only what main.js imports, and the service worker's shell list
// and version rewritten to the built files. The sources stay plain ES modules: the node tests
// import them, and without a build the server serves pwa/ as it is.
// Usage: node pwa/build.mjs [OUTDIR]   (default build/pwa; HALLWAY_PWA_DIR points the server at it)
import * as esbuild from 'esbuild';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('.', import.meta.url));
const OUT = resolve(process.argv[2] || join(SRC, '..', 'build', 'pwa'));
// Copied as they are; vendor/ (tus) is fetched by the composer only, so it is not precached.
const COPIED = ['manifest.webmanifest', 'icons', 'vendor'];
const NOT_PRECACHED = ['sw.js', 'vendor/'];
const TARGET = ['chrome100', 'firefox100', 'safari15.4']; // phones of the last few years; esbuild lowers newer syntax

async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])));
  return files.flat();
}

const posix = (path) => path.split(sep).join('/');

/** index.html without the source's per-module preloads, preloading the built first-load chunks instead. */
export function rewriteIndex(html, preloads) {
  const kept = html.split('\n').filter((line) => !/rel="modulepreload"|Every module preloaded/.test(line));
  const at = kept.findIndex((line) => line.includes('<script type="module" src="js/main.js">'));
  if (at < 0) throw new Error('index.html lacks <script type="module" src="js/main.js">');
  const indent = kept[at].match(/^\s*/)[0];
  kept.splice(at + 1, 0, ...preloads.map((href) => `${indent}<link rel="modulepreload" href="${href}">`));
  return kept.join('\n');
}

/** sw.js with SHELL listing exactly the built files and VERSION naming this build. */
export function rewriteWorker(source, shell, version) {
  const list = shell.map((path) => `  '${path}',`).join('\n');
  let out = source.replace(/const SHELL = \[[\s\S]*?\];/, `const SHELL = [\n${list}\n];`);
  out = out.replace(/const VERSION = '[^']*';/, `const VERSION = '${version}';`);
  if (out === source || !out.includes(version)) throw new Error('sw.js: SHELL or VERSION not found');
  return out;
}

const ROOT = join(SRC, '..');

function bundle(outdir, plugins = [], write = true) {
  return esbuild.build({
    entryPoints: [join(SRC, 'js', 'main.js')],
    absWorkingDir: ROOT,
    outdir,
    bundle: true,
    splitting: true, // each import() (a screen, a sheet) becomes a chunk fetched when it opens
    format: 'esm',
    minify: true,
    target: TARGET,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins,
    write,
  });
}

/** The source modules main.js loads at start (its own and its static chunks'), and the import() targets. */
function splitOf(metafile) {
  const outputs = metafile.outputs;
  const main = Object.keys(outputs).find((p) => outputs[p].entryPoint && resolve(ROOT, outputs[p].entryPoint) === join(SRC, 'js', 'main.js'));
  const first = new Set();
  const visit = (path) => {
    for (const input of Object.keys(outputs[path].inputs)) first.add(resolve(ROOT, input));
    for (const i of outputs[path].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(main);
  const lazy = Object.values(outputs).filter((o) => o.entryPoint && !first.has(resolve(ROOT, o.entryPoint)))
    .map((o) => resolve(ROOT, o.entryPoint));
  return { first: [...first], lazy };
}

/**
 * esbuild puts each module in a chunk per set of entry points reaching it, so the first load would
 * arrive as main.js plus a dozen small chunks. Every screen loaded on demand is made to import the
 * whole first load (which is already running when a screen opens, so nothing changes at run time):
 * then the first load shares one entry set and becomes one chunk.
 */
function oneFirstLoadChunk({ first, lazy }) {
  const imports = first.filter((path) => path !== join(SRC, 'js', 'main.js'))
    .map((path) => `import ${JSON.stringify(path)};`).join('');
  const lazySet = new Set(lazy);
  return {
    name: 'one-first-load-chunk',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!lazySet.has(args.path)) return undefined;
        // One line, so the screen's own line numbers stay as they are.
        return { contents: `${imports}${await readFile(args.path, 'utf8')}`, loader: 'js' };
      });
    },
  };
}

export async function build(out = OUT) {
  const tmp = `${out}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const probe = await bundle(join(tmp, 'js'), [], false);
  const js = await bundle(join(tmp, 'js'), [oneFirstLoadChunk(splitOf(probe.metafile))]);
  await esbuild.build({
    entryPoints: [join(SRC, 'css', 'app.css'), join(SRC, 'css', 'social.css')],
    outdir: join(tmp, 'css'),
    minify: true,
    target: TARGET,
    logLevel: 'warning',
  });
  // Not the scripts that made the icons: only what a browser loads.
  const servable = (path) => !path.endsWith('.py');
  for (const name of COPIED) await cp(join(SRC, name), join(tmp, name), { recursive: true, filter: servable });

  // main.js's static imports (shared chunks) are preloaded so they do not wait for main.js to parse.
  const mainOut = Object.keys(js.metafile.outputs).find((p) => resolve(ROOT, p) === join(tmp, 'js', 'main.js'));
  const preloads = js.metafile.outputs[mainOut].imports
    .filter((i) => i.kind === 'import-statement')
    .map((i) => posix(relative(tmp, resolve(ROOT, i.path))));
  const index = await readFile(join(SRC, 'index.html'), 'utf8');
  await writeFile(join(tmp, 'index.html'), rewriteIndex(index, preloads));

  const files = (await walk(tmp)).map((p) => posix(relative(tmp, p))).sort();
  const shell = ['./', ...files.filter((f) => !NOT_PRECACHED.some((skip) => f === skip || f.startsWith(skip)))];
  const hash = createHash('sha256');
  for (const file of shell.slice(1)) hash.update(file).update(await readFile(join(tmp, file)));
  const worker = await readFile(join(SRC, 'sw.js'), 'utf8');
  const base = worker.match(/const VERSION = '([^']*)';/)[1];
  hash.update(worker);
  await writeFile(join(tmp, 'sw.js'), rewriteWorker(worker, shell, `${base}-${hash.digest('hex').slice(0, 12)}`));

  // Swap in whole: a server reading the old build never sees half of the new one.
  await mkdir(dirname(out), { recursive: true });
  const old = `${out}.old-${process.pid}`;
  if (await stat(out).catch(() => null)) await rename(out, old);
  await rename(tmp, out);
  await rm(old, { recursive: true, force: true });
  return { out, shell, preloads };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { out, shell, preloads } = await build();
  console.log(`pwa built into ${out}: ${shell.length - 1} shell files, main.js + ${preloads.length} preloaded chunk(s)`);
}
