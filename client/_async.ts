// Private async helpers: an abortable sleep and the BosError of an aborted operation.
import { BosError } from "./errors.ts";

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
