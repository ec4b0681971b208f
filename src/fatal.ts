// The first condition after which running on is pointless or harmful: Discord will not take the
// bot back (a bad token, refused intents), or the store file is gone so nothing saved would last.
// The bot stops on it and the entry point exits non-zero, so that a supervisor restarts or alerts.

export class FatalSignal {
  private first: Error | undefined;
  private resolveRaised: (error: Error) => void = () => undefined;
  /** Resolves with the first error raised; never settles if none is. */
  readonly raised = new Promise<Error>((resolve) => {
    this.resolveRaised = resolve;
  });

  get error(): Error | undefined {
    return this.first;
  }

  /** Later errors are usually consequences of the first, so only the first is kept. */
  raise(error: Error): void {
    if (this.first !== undefined) return;
    this.first = error;
    this.resolveRaised(error);
  }

  throwIfRaised(): void {
    if (this.first !== undefined) throw this.first;
  }

  /** `work`, or a rejection with the fatal error should one be raised first. */
  race<T>(work: Promise<T>): Promise<T> {
    // The loser may still reject later (a login cut short by stop()); that is expected, not unhandled.
    work.catch(() => undefined);
    return Promise.race([
      work,
      this.raised.then((error) => {
        throw error;
      }),
    ]);
  }
}
