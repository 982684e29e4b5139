/** A problem with how the tool was called or configured: reported in one line, exit code 2. */
export class UsageError extends Error {}

/** An operation that could not be completed (a file that cannot be written): one line, exit code 1. */
export class CommandFailure extends Error {}
