// Compiles apps/ and libs/ to plain JavaScript under dist/ (same layout), for the production image,
// where neither TypeScript nor the @swc-node/register hook is installed: `node dist/apps/api/src/main.js`.
// The @harbour/<lib> imports become relative paths, read from tsconfig.json as Jest does.
import console from 'node:console';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import swc from '@swc/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, process.argv[2] ?? 'dist');
const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: ROOT,
    paths: compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: false,
};

function sources(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'test' || entry === 'scripts' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

rmSync(OUT, { recursive: true, force: true });
let count = 0;
for (const top of ['apps', 'libs']) {
  for (const file of sources(join(ROOT, top))) {
    const target = join(OUT, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, swc.transformFileSync(file, options).code);
    count += 1;
  }
}
// The console's templates, styles and module script are read at run time beside its code.
cpSync(join(ROOT, 'apps/api/src/console/views'), join(OUT, 'apps/api/src/console/views'), { recursive: true });
console.log(`compiled ${count} files to ${relative(ROOT, OUT) || '.'}`);
