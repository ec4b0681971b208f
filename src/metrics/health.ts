// /healthz: healthy when the Discord gateway is connected and the store answers. The store is asked
// to save a small value (meta:health), so that a store which can still read but no longer write
// (a full disk, a read-only file) is reported: a healthy answer means a click would be saved.

export interface HealthSources {
  gatewayConnected(): boolean;
  /** Resolves once the store has saved and read back a value; rejects when it cannot. */
  storeAnswers(): Promise<void>;
}

export interface Health {
  healthy: boolean;
  gateway: 'connected' | 'disconnected';
  store: 'ok' | 'failing' | 'timeout';
  /** Why the store check failed, when it did. */
  storeError?: string;
}

/** How long the store gets to answer before it counts as failing. */
export const STORE_CHECK_TIMEOUT_MS = 2_000;

export async function checkHealth(
  sources: HealthSources,
  timeoutMs = STORE_CHECK_TIMEOUT_MS,
): Promise<Health> {
  const gateway = sources.gatewayConnected() ? 'connected' : 'disconnected';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  let storeError: string | undefined;
  const store = await Promise.race([
    sources.storeAnswers().then(
      () => 'ok' as const,
      (error: unknown) => {
        storeError = error instanceof Error ? error.message : String(error);
        return 'failing' as const;
      },
    ),
    timeout,
  ]);
  clearTimeout(timer);
  return {
    healthy: gateway === 'connected' && store === 'ok',
    gateway,
    store,
    ...(storeError === undefined ? {} : { storeError }),
  };
}
