/**
 * The GraphQL IDE's browser files, bundled from the project's own
 * dependencies (graphiql, react, react-dom, Monaco's workers) with esbuild,
 * so the IDE needs nothing from the internet: no CDN script, no web font,
 * no worker fetched from elsewhere.
 *
 * Why bundle instead of serving files from node_modules: GraphiQL 4 dropped
 * its UMD build and GraphiQL 5 ships ES modules that import bare package
 * names and CSS, which a browser cannot load as they are; the projects that
 * self-host GraphiQL 5 run a bundler. Why at first use rather than at
 * install: `npm ci --ignore-scripts` or a changed lock file would otherwise
 * leave a stale or missing bundle. The result is cached on disk under
 * `.cache/graphql-ide/<key>/`, keyed by the client sources and the lock
 * file, so it is built once per machine (a few seconds) and never in
 * production (the IDE is off there).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository root (this file is src/ide/bundle.ts). */
const PROJECT_ROOT = resolve(__dirname, '..', '..');
const CLIENT_DIR = join(__dirname, 'client');
/** esbuild runs in a child process (esbuildRunner.cjs says why). */
const RUNNER = join(__dirname, 'esbuildRunner.cjs');
/** A loaded 2-core machine bundles in about 10 s; far beyond that something is stuck. */
const BUILD_TIMEOUT_MS = 300_000;
const execFileAsync = promisify(execFile);
export const DEFAULT_IDE_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'graphql-ide');

/** The page loads these two; Monaco asks for the workers (src/ide/client/workers.js names them). */
export const IDE_SCRIPT = 'graphiql-ide.js';
export const IDE_STYLESHEET = 'graphiql-ide.css';
const WORKERS = {
  'editor.worker': ['monaco-editor', 'esm/vs/editor/editor.worker.js'],
  'json.worker': ['monaco-editor', 'esm/vs/language/json/json.worker.js'],
  'graphql.worker': ['monaco-graphql', 'esm/graphql.worker.js'],
} as const;

export interface IdeAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** File name => contents, every file of one build. */
export type IdeAssets = ReadonlyMap<string, IdeAsset>;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};

function contentTypeOf(file: string): string {
  const extension = file.slice(file.lastIndexOf('.'));
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/**
 * The directory of a package as its dependent sees it (Node's resolution
 * from `fromDir`), so Monaco is the copy @graphiql/react depends on even if
 * npm nests it.
 */
function packageDir(name: string, fromDir: string): string {
  return dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] }));
}

/** A package whose `exports` hide package.json: find its folder up the node_modules chain. */
function packageDirByWalking(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`the GraphQL IDE needs the npm package ${name} (run npm ci)`);
  }
}

function dependencyDirs(): { graphiql: string; react: string; monacoEditor: string; monacoGraphql: string } {
  const graphiql = packageDir('graphiql', PROJECT_ROOT);
  const react = packageDirByWalking('@graphiql/react', graphiql);
  return {
    graphiql,
    react,
    monacoEditor: packageDirByWalking('monaco-editor', react),
    monacoGraphql: packageDirByWalking('monaco-graphql', react),
  };
}

/** Changes whenever the client sources or any locked dependency version change. */
async function cacheKey(): Promise<string> {
  const hash = createHash('sha256');
  // This file (the build options) and the runner count too.
  hash.update(await readFile(__filename)).update(await readFile(RUNNER));
  for (const file of (await readdir(CLIENT_DIR)).sort()) {
    hash.update(file).update(await readFile(join(CLIENT_DIR, file)));
  }
  const lockFile = join(PROJECT_ROOT, 'package-lock.json');
  if (existsSync(lockFile)) hash.update(await readFile(lockFile));
  return hash.digest('hex').slice(0, 16);
}

async function runEsbuild(outdir: string): Promise<void> {
  const dirs = dependencyDirs();
  const workerEntries = Object.entries(WORKERS).map(([out, [pkg, file]]) => ({
    out,
    in: join(pkg === 'monaco-editor' ? dirs.monacoEditor : dirs.monacoGraphql, file),
  }));
  const options = {
    entryPoints: [{ out: IDE_SCRIPT.replace(/\.js$/, ''), in: join(CLIENT_DIR, 'main.js') }, ...workerEntries],
    outdir,
    bundle: true,
    // Classic scripts and classic workers: no module loading, so nothing but these files is ever requested.
    format: 'iife',
    splitting: false,
    minify: true,
    target: 'es2022',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Fonts and images referenced by CSS (Monaco's codicon font) become files next to it.
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    assetNames: '[name]-[hash]',
    // Packages nested under graphiql's dependencies resolve as they would for graphiql itself.
    nodePaths: [join(dirs.graphiql, 'node_modules'), join(dirs.react, 'node_modules'), join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'silent',
    legalComments: 'none',
  };
  try {
    await execFileAsync(process.execPath, [RUNNER, JSON.stringify(options)], { timeout: BUILD_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`esbuild could not bundle the GraphQL IDE: ${stderr || (error as Error).message}`);
  }
}

async function readAssets(dir: string): Promise<IdeAssets> {
  const assets = new Map<string, IdeAsset>();
  for (const file of await readdir(dir)) {
    if (file.startsWith('.')) continue; // the `.complete` marker
    assets.set(file, { contentType: contentTypeOf(file), body: await readFile(join(dir, file)) });
  }
  for (const required of [IDE_SCRIPT, IDE_STYLESHEET, ...Object.keys(WORKERS).map((name) => `${name}.js`)]) {
    if (!assets.has(required)) throw new Error(`the GraphQL IDE bundle in ${dir} lacks ${required}`);
  }
  return assets;
}

export interface BuildIdeAssetsOptions {
  /** Default `.cache/graphql-ide` in the repository. */
  readonly cacheDir?: string;
}

/**
 * The bundle, from the cache when present, else built into a temporary
 * folder and renamed into place (several processes building at once each
 * finish with a complete folder; the first rename wins).
 */
export async function buildIdeAssets(options: BuildIdeAssetsOptions = {}): Promise<IdeAssets> {
  const cacheDir = options.cacheDir ?? DEFAULT_IDE_CACHE_DIR;
  const finalDir = join(cacheDir, await cacheKey());
  if (existsSync(join(finalDir, '.complete'))) return readAssets(finalDir);

  await mkdir(cacheDir, { recursive: true });
  const tempDir = join(cacheDir, `.building-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await runEsbuild(tempDir);
    await writeFile(join(tempDir, '.complete'), '');
    try {
      await rename(tempDir, finalDir);
    } catch (error) {
      // Another process renamed its build first: use that one.
      if (!existsSync(join(finalDir, '.complete'))) throw error;
    }
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
  return readAssets(finalDir);
}
