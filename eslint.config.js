// Type-aware linting: the promise rules catch the unawaited replies that make Discord say
// "The application did not respond".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // Product code states its types instead of overriding them. A cast or `!` is allowed only at a
    // library boundary, with an eslint-disable comment saying why.
    files: ['src/**', 'commands/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
    },
  },
  {
    // The build script is plain JavaScript (npm start runs it without tsx): linted without types.
    files: ['src/build.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The command line and the benchmarks talk to a terminal on purpose.
    files: ['src/cli/**', 'src/cli.ts', 'test/bench/**'],
    rules: { 'no-console': 'off' },
  },
);
