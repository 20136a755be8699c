import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Which folder may import which: the house's boundaries, enforced here and nowhere else.
const electron = {
  paths: [
    {
      name: 'electron',
      message: 'Only src/main/shell and src/preload may import electron: the core runs in plain Node.',
    },
  ],
  patterns: [{ group: ['electron/*'], message: 'Only src/main/shell and src/preload may import electron.' }],
}
const restrict = (...parts) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: parts.flatMap((p) => p.paths ?? []),
      patterns: parts.flatMap((p) => p.patterns ?? []),
    },
  ],
})
const coreOutside = {
  patterns: [
    {
      regex: '^(\\.\\./)+(demo|simulators|shell|host|cli)(/|$)',
      message: 'The core imports no demo, simulators, shell, host or cli: they are passed in as ports.',
    },
  ],
}
const noMain = {
  patterns: [
    { regex: '(^|/)main(/|$)', message: 'The renderer and shared code import nothing from src/main.' },
    { regex: '(^|/)renderer(/|$)', message: 'Shared code imports nothing from the renderer.' },
  ],
}
const noNode = {
  patterns: [
    { regex: '^node:', message: 'src/shared runs anywhere: no node:* modules.' },
    {
      regex: '^(fs|path|os|crypto|child_process|http|https|net|stream|url|util|events|zlib|buffer)(/|$)',
      message: 'src/shared runs anywhere: no Node built-ins.',
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      '.scratch/**',
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bin/**',
      'scripts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      ...restrict(electron),
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: restrict(electron, coreOutside),
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    rules: restrict(electron, noMain),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(electron, noMain, noNode),
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser },
    },
  },
  {
    files: ['src/main/shell/**/*.ts', 'src/preload/**/*.ts', 'tests/electron/**/*.ts', 'electron.vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
)
