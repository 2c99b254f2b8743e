/**
 * The CLI's one error type. Its exit code is part of the contract: 1 = the token is invalid or has
 * lint errors, 2 = the invocation or an input is wrong. Messages are for people and never hold secrets.
 */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/** A usage or input error (exit 2). */
export const usage = (message: string): CliError => new CliError(message, EXIT_USAGE);
