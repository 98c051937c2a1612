export type DomainErrorCode = "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST" | "FORBIDDEN";

/** An error a user can cause, with a message that says what was wrong and what to do. */
export class DomainError extends Error {
  override name = "DomainError";
  readonly code: DomainErrorCode;
  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
