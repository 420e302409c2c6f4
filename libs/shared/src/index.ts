/**
 * What every lib needs and no lib owns: configuration errors and the reading of settings, secrets
 * given as files, and ids. It imports no other @harbour lib, so any lib may import it.
 */
export * from './settings';
export { SECRET_SETTINGS, readOrCreateDevelopmentFile, withSecretFiles } from './secret-files';
export * from './ids';
export * from './problem';
