/** Domain errors: services throw these, `app.onError` maps them to the error envelope. */
export type ErrorDetail = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 426 | 429,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Response headers the status calls for (426 names the protocol to upgrade to). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(400, "validation_error", message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = "Authentication required") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You are not allowed to do this") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends DomainError {
  /** `what` names the missing thing ("Trace" → "Trace not found"); `message` replaces that text. */
  constructor(what: string, message = `${what} not found`) {
    super(404, "not_found", message);
  }
}

export class UpgradeRequiredError extends DomainError {
  constructor(protocol: "websocket", message: string) {
    super(426, "upgrade_required", message, undefined, { Upgrade: protocol });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super(413, "payload_too_large", `Request body exceeds ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(accepted: string[]) {
    super(415, "unsupported_media_type", `Content-Type must be one of: ${accepted.join(", ")}`);
  }
}

export class RateLimitedError extends DomainError {
  constructor(message = "Too many attempts, try again in a minute") {
    super(429, "rate_limited", message);
  }
}
