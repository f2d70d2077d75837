/** The base of every error this package throws. */
export class KontextError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One field's problem, from our own validation or from fal's `detail[]`. */
export interface FieldError {
  /** The field's name, e.g. `guidance_scale`; nested places are joined with dots. */
  field: string;
  message: string;
  /** fal's error type where the server gave one, e.g. `content_policy_violation`. */
  type?: string;
}
