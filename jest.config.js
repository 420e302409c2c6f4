// One Jest config for the whole workspace: @swc/jest compiles TypeScript with decorator
// metadata (Nest DI needs it) far faster than ts-jest; type checking is `npm run typecheck`.
const { readFileSync } = require('node:fs');

const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// The @harbour/<lib> path mapping comes from tsconfig.json so the two cannot drift.
const { compilerOptions } = JSON.parse(readFileSync(`${__dirname}/tsconfig.json`, 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

const ESM_PACKAGES = ['@nestjs', 'jose', 'file-type', 'strtok3', 'token-types', 'content-disposition'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps'].filter((dir) =>
    require('node:fs').existsSync(dir.replace('<rootDir>', __dirname)),
  ),
  testMatch: ['**/*.spec.ts'],
  // NestJS 12 ships ES modules only; Jest on Node 20 cannot require() them, so swc turns them
  // into CommonJS like our own code. Packages that ship CommonJS are left alone.
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', swcConfig] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper,
  testTimeout: 30000,
  reporters: [
    'default',
    '<rootDir>/libs/testing/contract-summary.reporter.js',
    '<rootDir>/libs/testing/reliability-summary.reporter.js',
  ],
};
