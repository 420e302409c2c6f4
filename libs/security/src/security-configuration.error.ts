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

/**
 * Several bad security settings found in one reading. Like the event store's
 * `ConfigurationErrors`, it carries each as `problems` (`collectSettings` reports every one) and
 * stands for the first where one is enough.
 */
export class SecurityConfigurationErrors extends SecurityConfigurationError {
  readonly problems: readonly { readonly setting: string; readonly message: string }[];

  constructor(errors: readonly SecurityConfigurationError[]) {
    super(errors[0].setting, '');
    this.problems = errors.map(({ setting, message }) => ({ setting, message }));
    this.message = `${errors.length} settings are wrong:\n${errors.map((error) => `  ${error.message}`).join('\n')}`;
  }
}
