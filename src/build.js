// npm run build: the bot's entry points bundled into dist/ (code-split chunks in dist/chunks/), with
// the packages left in node_modules. A CommonJS package is loaded with require() rather than import:
// node 20 runs its CommonJS export lexer, and resolves through its ESM loader, every module a package
// imported that way requires (discord.js alone is hundreds), which made loading discord.js about a
// third slower. So is a package that also ships a CommonJS build (luxon's ES module build took 22
// to 30 ms to import, its CommonJS build 5).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const ROOT = dirname(import.meta.dirname);
const require = createRequire(join(ROOT, 'package.json'));

/** Whether node runs `file` as CommonJS: a .cjs file, or a .js file of a package not of "type": "module". */
function isCommonJsFile(file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    } catch {
      if (dirname(folder) === folder) return true;
      continue;
    }
    return manifest.type !== 'module';
  }
}

/**
 * How the bot loads `specifier`: 'esm' with import; 'cjs' with require() (node imports it as
 * CommonJS anyway); 'dual' with require() too, for a package that ships a CommonJS build beside its
 * ES module one, which node 20 loads faster (luxon: 22 to 30 ms imported, 5 ms required).
 */
function moduleKind(specifier) {
  if (isCommonJsFile(fileURLToPath(import.meta.resolve(specifier)))) return 'cjs';
  let required;
  try {
    required = require.resolve(specifier);
  } catch {
    return 'esm';
  }
  return isCommonJsFile(required) ? 'dual' : 'esm';
}

function isIdentifier(name) {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return false;
  try {
    new Function(`let ${name};`);
    return true;
  } catch {
    return false; // a reserved word
  }
}

/**
 * An ES module standing for a CommonJS package: its default export is module.exports and its named
 * exports are module.exports' own keys, as node's import gives them. For a dual package the default
 * export is what its ES module build exports as default (a CommonJS build marked __esModule keeps it
 * under `default`). A name the bot imports that the package does not export fails the build.
 */
function requireShim(specifier, kind) {
  const names = Object.keys(require(specifier)).filter((name) => name !== 'default' && isIdentifier(name));
  const main = kind === 'dual' ? `lib.__esModule && 'default' in lib ? lib.default : lib` : 'lib';
  return [
    `import { createRequire } from 'node:module';`,
    `const lib = createRequire(import.meta.url)(${JSON.stringify(specifier)});`,
    `export default ${main};`,
    names.length > 0 ? `export const { ${names.join(', ')} } = lib;` : '',
  ].join('\n');
}

const requireCommonJs = {
  name: 'require-commonjs',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'import-statement' || isBuiltin(args.path)) return undefined;
      const kind = moduleKind(args.path);
      if (kind === 'esm') return undefined;
      return { path: args.path, namespace: 'require-commonjs', pluginData: kind };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'require-commonjs' }, (args) => ({
      contents: requireShim(args.path, args.pluginData),
      loader: 'js',
    }));
  },
};

const shared = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [requireCommonJs],
};

// `node src/build.js <entry.ts> <folder>`: one more entry built the same way (the benchmarks' bare
// bot, so that both bots load their packages alike).
const [entry, folder] = process.argv.slice(2);
if (entry !== undefined && folder !== undefined) {
  await build({ ...shared, entryPoints: [entry], outdir: folder });
} else {
  await build({
    ...shared,
    entryPoints: [
      'src/index.ts',
      'src/deploy.ts',
      'src/cli.ts',
      { in: 'src/library/parse-worker.ts', out: 'parse-worker' },
    ],
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outdir: 'dist',
  });
  // The parser's libraries, each bundled into one file that the bot requires on its first parse
  // (src/content/parser-libraries.ts): gray-matter with js-yaml is about 90 modules in node_modules.
  await build({
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    entryPoints: ['gray-matter', 'markdown-it'].map((name) => ({ in: require.resolve(name), out: name })),
    outExtension: { '.js': '.cjs' },
    outdir: join('dist', 'vendor'),
  });
}
