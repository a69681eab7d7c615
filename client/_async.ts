// Private async helpers: an abortable sleep and the BosError of an aborted operation.
import { BosError } from "../protocol/errors.ts";

/** Waits `ms` milliseconds, or rejects with the signal's abort as a `BosError` (code `Aborted`). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The `BosError` for an aborted operation (status 0, code `Aborted`, the signal's reason as cause). */
export function abortError(signal: AbortSignal): BosError {
  const reason = signal.reason;
  const why = reason instanceof Error && reason.name !== "AbortError" ? `: ${reason.message}` : "";
  return new BosError({
    status: 0,
    code: "Aborted",
    message: `The operation was aborted${why}`,
    cause: reason,
  });
}

/** An internal controller linked to the caller's signal (aborted when it is); `unlink` detaches it. */
export function linkedController(signal?: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (!signal) return { controller, unlink: () => {} };
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return { controller, unlink: () => signal.removeEventListener("abort", onAbort) };
}
