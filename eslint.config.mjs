// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const DEEP_IMPORTS = { group: ['@harbour/*/*'], message: 'Import a lib by its public face: @harbour/<lib>.' };

/**
 * The libs in layers: a lib's code may import only libs of a lower layer, so no two libs can ever
 * depend on each other, even through type-only imports (which `import-x/no-cycle` does not see).
 * Specs are exempt: a spec may use any lib to set up its world.
 */
const LAYERS = [
  ['shared'],
  ['domain', 'event-store'],
  ['read-store', 'privacy', 'security', 'audit', 'testing'],
  ['observability', 'projections'],
  ['application'],
  ['synthetic'],
];

const layerRules = LAYERS.flatMap((libs, layer) =>
  libs.map((lib) => {
    const above = LAYERS.slice(layer)
      .flat()
      .filter((other) => other !== lib);
    return {
      files: [`libs/${lib}/src/**/*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              DEEP_IMPORTS,
              ...(above.length === 0
                ? []
                : [
                    {
                      group: above.map((other) => `@harbour/${other}`),
                      message: `libs/${lib} is in layer ${layer}: it may import only libs of a lower layer (LAYERS in eslint.config.mjs).`,
                    },
                  ]),
            ],
          },
        ],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/peers/**', 'coverage/**', '*.config.js'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { process: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Deep imports would bypass a lib's public face (its index.ts).
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS] }],
    },
  },
  {
    // No import cycles, between libs (through @harbour/<lib>) or inside one: a cycle means two
    // modules are one feature split badly, and it makes load order matter. The resolver reads the
    // @harbour/<lib> paths from tsconfig.json. The rule skips type-only imports (they vanish at
    // run time); the layers below catch those between libs.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Without its TypeScript settings the plugin reads only .js files and sees no graph at all.
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...layerRules,
);
