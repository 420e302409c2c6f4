/**
 * Thrown at boot for a bad security setting. The message starts with the setting's name, as the
 * event store's `ConfigurationError` does, so start-up fails with a line that says what to fix.
 */
export class SecurityConfigurationError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigurationError';
  }
}
