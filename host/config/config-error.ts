/** A configuration value outside what the engine accepts. The message names the key, the allowed range and the value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly key: string, readonly allowed: string, readonly got: unknown) {
    super(`${key} must be ${allowed}, got ${JSON.stringify(got)}`);
  }
}
