// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, the rooms'
// import directions, and no rule switched off without a reason. Run by `npm run lint` (also part
// of `npm test`). Formatting is Prettier's job (`npm run format:check`), not ESLint's.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which room may import which (a room is a folder under src/; see the README's Layout section).
 * Written so that a room added later is covered without editing this list: the engine may import
 * only itself, and nothing but the CLI imports the CLI, nothing but the CLI and the UI the UI.
 * Paths are relative to this file; `except` is relative to `from`.
 */
export const ROOM_ZONES = [
  {
    target: './src/engine',
    from: './src',
    except: ['./engine'],
    message: 'The engine imports nothing outside src/engine: plug-ins register through its seams (README, Layout).',
  },
  {
    target: './src/kinds',
    from: './src',
    except: ['./engine', './kinds'],
    message: 'src/kinds (the source and function kinds) imports only src/engine: the other kinds live in their own rooms.',
  },
  {
    target: ['./src/!(cli)/**', './src/*.ts'],
    from: './src/cli',
    message: 'Only src/cli imports src/cli: shared queries go in src/inspect (README, Layout).',
  },
  {
    target: ['./src/!(cli|ui)/**', './src/*.ts'],
    from: './src/ui',
    message: 'Only src/cli (and the UI itself) imports src/ui (README, Layout).',
  },
  {
    target: './src/cli',
    from: './src/ui',
    except: ['./index.ts'],
    message: 'src/cli imports the UI through its public entry src/ui/index.ts only.',
  },
];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', '.venv*/', '.tmp/', '.synth/', 'bench/results/', 'src/ui/public/', 'data/', 'prompts/', 'docs/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  comments.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // A rule switched off needs its reason on the same line: `// eslint-disable-line rule -- why`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      // A leading underscore marks a binding kept on purpose (a rest sibling dropped from an object,
      // a loop counter whose value is unused, a positional parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: ROOM_ZONES }],
    },
  },
);
