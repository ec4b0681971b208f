// The two libraries the parser leaves some files to, loaded on the first parse that needs them (a
// start served from the content cache never does). The build bundles each into one file under
// dist/vendor/: gray-matter with js-yaml is about 90 modules in node_modules, 30 to 40 ms to require
// in a fresh process, against 6 to 8 ms for its bundle. Run from source (tsx, the tests), or with no
// bundle beside the build, they come from node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ParserLibrary = 'gray-matter' | 'markdown-it';

/** The folder src/build.js writes the bundles to, inside dist/. */
export const VENDOR_FOLDER = 'vendor';

const require = createRequire(import.meta.url);
const loaded = new Map<ParserLibrary, unknown>();

export function requireParserLibrary(name: ParserLibrary): unknown {
  if (!loaded.has(name)) loaded.set(name, require(bundleOf(name) ?? name));
  return loaded.get(name);
}

/**
 * The bundle of `name` when this module runs compiled: the build puts it in dist/, in an entry file or
 * in dist/chunks/ (or dist/bench/ for the benchmarks' builds), so the vendor folder is beside this
 * file or one folder up.
 */
function bundleOf(name: ParserLibrary): string | null {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return null;
  for (const folder of [dirname(here), dirname(dirname(here))]) {
    const bundle = join(folder, VENDOR_FOLDER, `${name}.cjs`);
    if (existsSync(bundle)) return bundle;
  }
  return null;
}
