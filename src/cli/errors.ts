// Errors a user caused and can fix (a bad flag, a missing file): shown as a message, never as a stack trace.
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** Process exit code: 2 for usage errors, 1 for everything else. */
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
