import { ConfigurationError } from '@harbour/shared';

/**
 * Thrown at boot for a bad security setting: a {@link ConfigurationError}, so start-up collects
 * it with every other bad setting and fails with a line that says what to fix.
 */
export class SecurityConfigurationError extends ConfigurationError {}
