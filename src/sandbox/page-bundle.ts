// The sandbox page, built from TypeScript when the sandbox starts (esbuild, in memory, tens of
// milliseconds), so there is no build step to run and nothing generated to keep in the repo.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface PageBundle {
  html: string;
  js: string;
  css: string;
}

/**
 * The page's sources: beside this module in development (src/sandbox/page-bundle.ts); once the bot is
 * built, this code sits in a chunk under dist/chunks/ and the sources are still in src/sandbox/page/.
 */
const PAGE_DIR =
  [
    new URL('./page/', import.meta.url),
    new URL('../../src/sandbox/page/', import.meta.url),
    new URL('../src/sandbox/page/', import.meta.url),
  ].find((dir) => existsSync(new URL('main.ts', dir))) ?? new URL('./page/', import.meta.url);

export async function buildPage(): Promise<PageBundle> {
  const [result, html, css] = await Promise.all([
    build({
      entryPoints: [fileURLToPath(new URL('main.ts', PAGE_DIR))],
      bundle: true,
      write: false,
      format: 'esm',
      target: 'es2022',
      minify: true,
      sourcemap: 'inline',
      logLevel: 'silent',
    }),
    readFile(new URL('index.html', PAGE_DIR), 'utf8'),
    readFile(new URL('style.css', PAGE_DIR), 'utf8'),
  ]);
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no page bundle');
  return { html, js: output.text, css };
}
