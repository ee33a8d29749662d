/** A configuration value outside what the engine accepts. The message names the key, the allowed range and the value. */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
  constructor(readonly key: string, readonly allowed: string, readonly got: unknown) {
    super(`${key} must be ${allowed}, got ${JSON.stringify(got)}`);
  }
}

/** A config file that is not valid TOML: the key is the file, `where` says the line, the column and what is wrong. */
export class ConfigSyntaxError extends ConfigError {
  override readonly name: string = 'ConfigSyntaxError';
  /** `line L, column C: reason`. */
  readonly where: string;
  constructor(source: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(source, 'valid TOML', `line ${line}, column ${column}: ${reason}`);
    this.where = `line ${line}, column ${column}: ${reason}`;
  }
}
