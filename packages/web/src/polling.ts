// Repeats a refresh until it says stop or the view goes away; never overlaps two calls, and a
// failing call is retried on the next tick (a blip must not freeze the live view).

export function poll(intervalMs: number, refresh: () => Promise<boolean | void>, onError: (error: unknown) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    let again = true;
    try {
      again = (await refresh()) !== false;
    } catch (error) {
      onError(error);
    }
    if (!stopped && again) timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
