import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.frictionlog/', 'bench/.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The browser bundle must never carry zod: outside the schema and the collector only
    // `import type` is allowed (the size budget of createTracker is the second guard).
    files: ['src/**/*.ts'],
    ignores: ['src/schema/**', 'src/collector/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message: 'zod stays out of the browser bundle: use `import type` from src/schema.',
              allowTypeImports: true,
            },
          ],
          patterns: [
            { group: ['zod/*'], message: 'Browser code may only `import type` from zod.', allowTypeImports: true },
            // The schema's zod-free size limits and validity flags are the values browser code may import.
            {
              regex: '(^|/)schema(/(?!events/(limits|validityFlags)$).*)?$',
              message: 'Browser code may only `import type` from the schema.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Plugins register listeners only through ctx.listen (passive, removed on shutdown).
    files: ['src/plugins/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='addEventListener']",
          message: 'Use ctx.listen(): it is passive and bound to the tracker signal.',
        },
      ],
    },
  },
  {
    // The dashboard renders attacker-controlled event text: DOM only through dom.ts (text nodes).
    files: ['src/dashboard/client/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML|srcdoc)$/]',
          message: 'Build DOM with h() from dom.ts: event strings are attacker-controlled.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln|createContextualFragment)$/]',
          message: 'Build DOM with h() from dom.ts.',
        },
        { selector: 'Property[key.name=/^(innerHTML|outerHTML|srcdoc)$/]', message: 'Build DOM with h() from dom.ts.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // Browser scripts the e2e pages load.
    files: ['test/e2e/pages/**/*.{js,mjs}'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', location: 'readonly', URLSearchParams: 'readonly' },
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'test/e2e/**', 'examples/**', '*.config.*', 'src/collector/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
)
