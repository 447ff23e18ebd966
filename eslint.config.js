// Lint: typescript-eslint's recommended rules, and the architecture's layers written down as import rules, so
// a wrong import fails `npm test` instead of a review (../shared/docs/STYLE.md, "Where a line of code lives").
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** An import rule: `regex` matched against the import specifier, with the reason shown on a violation. */
const forbid = (regex, message) => ({ regex, message });
const layer = (files, patterns, paths = [], ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

const sqliteOnlyInCatalog = { name: 'better-sqlite3', message: 'only the catalog (main/engine/library/catalog/) talks SQL' };
const engine = {
  patterns: [forbid('(^|/)(api|app|server|cli)/', 'the engine never imports the app, the server, the API adapter or the CLI')],
  paths: [{ name: 'electron', message: 'the engine runs in plain Node; only main/app imports electron' }, sqliteOnlyInCatalog],
};
const belowLibrary = forbid('(^|/)(library|people|map|train|eval)/', 'face/, math/ and cluster/ sit below the library: they never import the catalog, people, map, train or eval');
const computeFolders = ['main/engine/face/**', 'main/engine/cluster/**', 'main/engine/math/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'test-artifacts/**', '**/*.svelte', 'renderer/vite.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Test doubles of JSON replies and worker messages are typed as `any` on purpose in tests.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // The renderer talks to the engine only through shared/ (the typed API); it never imports main/.
  layer(['renderer/**'], [forbid('^(\\.\\./)+(main|test|scripts)/', 'the renderer imports only shared/ (the typed API), never main/')], [
    { name: 'electron', message: 'the renderer runs sandboxed: use the preload bridge through shared/api.ts' },
  ]),
  // shared/ is the contract both sides import: plain data and schemas, nothing from either side.
  layer(['shared/**'], [forbid('^(\\.\\./)+(main|renderer)/', 'shared/ imports neither main/ nor renderer/')]),
  // The engine runs in plain Node for the CLI, web mode and tests: no Electron, no adapter above it; only the
  // catalog talks SQL. Face analysis, math and clustering are pure computation below the library, and math/ is
  // the bottom layer. (One entry per folder: a later flat-config entry would replace, not add to, the rule.)
  layer(['main/engine/**'], engine.patterns, engine.paths, ['main/engine/library/catalog/**', ...computeFolders]),
  layer(['main/engine/library/catalog/**'], [engine.patterns[0]], [engine.paths[0]]),
  layer(['main/engine/face/**', 'main/engine/cluster/**'], [...engine.patterns, belowLibrary], engine.paths),
  layer(['main/engine/math/**'], [...engine.patterns, belowLibrary, forbid('^\\.\\./', 'math/ is the bottom layer: it imports no other engine folder')], engine.paths),
  // Only the catalog talks SQL, everywhere in the app and its scripts.
  layer(['main/api/**', 'main/app/**', 'main/server/**', 'main/cli/**', 'scripts/**'], [], [sqliteOnlyInCatalog]),
  // No SQL statement outside the catalog: services ask it by name.
  {
    files: ['main/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['main/engine/library/catalog/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='prepare']",
        message: 'SQL lives in the catalog (main/engine/library/catalog/): add a named method there',
      }],
    },
  },
);
