import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { ConfigurationError } from './settings';
import { withSecretFiles } from './secret-files';

describe('withSecretFiles', () => {
  const dir = tempDir('harbour-secrets-');
  afterAll(() => dir.remove());
  const secret = (name: string, content: string) => {
    const file = join(dir.path, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };

  it('reads <NAME>_FILE into <NAME>, without the trailing newline, and leaves the rest as it was', () => {
    const env = withSecretFiles({
      HARBOUR_JWT_SECRET_FILE: secret('jwt', 'from-a-file-from-a-file-from-a-file\n'),
      DATABASE_URL_FILE: secret('db', 'postgres://harbour:p4ss@db/harbour'),
      HARBOUR_PORT: '3000',
    });
    expect(env.HARBOUR_JWT_SECRET).toBe('from-a-file-from-a-file-from-a-file');
    expect(env.DATABASE_URL).toBe('postgres://harbour:p4ss@db/harbour');
    expect(env.HARBOUR_PORT).toBe('3000');
  });

  it.each([
    ['both the value and the file', () => ({ HARBOUR_MASTER_KEY: 'x', HARBOUR_MASTER_KEY_FILE: secret('k1', 'y') })],
    ['a file that is not there', () => ({ HARBOUR_MASTER_KEY_FILE: join(dir.path, 'missing') })],
    ['an empty file', () => ({ HARBOUR_MASTER_KEY_FILE: secret('k2', '\n') })],
  ])('refuses %s, naming the _FILE setting and never the value', (_, env) => {
    const given = env();
    expect(() => withSecretFiles(given)).toThrow(ConfigurationError);
    expect(() => withSecretFiles(given)).toThrow(/^HARBOUR_MASTER_KEY_FILE: /);
    expect(() => withSecretFiles(given)).not.toThrow(/\by\b/);
  });
});
