import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.cluster/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The library is imported by other programs: it must not pull in the CLI's UI stack.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ink', 'react', 'yargs', 'cli-table3'], patterns: ['ink/*', 'react/*', 'yargs/*', '**/commands/*', '**/ui/*', '**/cli.js'] }],
    },
  },
);
