// Private: a client-side refusal (status 0), apart from `_validate.ts` so the modules that load up
// front need not carry the key and bucket rules.
import { BosError, type BosErrorCode } from "../protocol/errors.ts";

/** A client-side refusal: status 0 and the code BOS would answer with (default `InvalidArgument`). */
export function invalid(message: string, cause?: unknown, code: BosErrorCode = "InvalidArgument"): BosError {
  return new BosError({ status: 0, code, message, cause });
}
