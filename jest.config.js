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
// The reporting job's charts: vega, vega-lite and their d3 and geometry dependencies ship ES
// modules only.
ESM_PACKAGES.push('vega[a-z-]*', 'd3-[a-z-]+', 'internmap', 'delaunator', 'robust-predicates');
ESM_PACKAGES.push('json-stringify-pretty-compact');
// The CLI's argument parser (commander 15) and the read store's query builder (kysely 0.29) ship
// ES modules only too.
ESM_PACKAGES.push('commander', 'kysely');
// The OpenAPI contract test lints the document with Redocly's core, ES modules only too.
ESM_PACKAGES.push(
  '@redocly/openapi-core',
  '@redocly/config',
  'jsonpath-rfc9535',
  'colorette',
  'parse-json',
  'index-to-position',
);
// openapi-typescript itself is CommonJS, but keeps an ES-module-only parse-json in its own node_modules.
ESM_PACKAGES.push('openapi-typescript', 'supports-color', 'change-case');

// The console: openid-client (and its oauth4webapi) and the local provider, oidc-provider, ship
// ES modules only.
ESM_PACKAGES.push('openid-client', 'oauth4webapi', 'oidc-provider');
// Fastify's inject (light-my-request), which the console calls the API through, loads cookie 1.x.
ESM_PACKAGES.push('cookie');

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
  moduleNameMapper: {
    ...moduleNameMapper,
    // vega-canvas's Node build awaits an optional `canvas` import at top level, which CommonJS
    // cannot express; its browser build is the same minus that probe, and without `canvas` both
    // measure text the same way (vega's estimate), so the SVG is the same bytes either way.
    '^vega-canvas$': '<rootDir>/node_modules/vega-canvas/build/vega-canvas.browser.js',
  },
  testTimeout: 30000,
  reporters: [
    'default',
    '<rootDir>/libs/testing/contract-summary.reporter.js',
    '<rootDir>/libs/testing/reliability-summary.reporter.js',
    '<rootDir>/libs/testing/failover-summary.reporter.js',
  ],
};
