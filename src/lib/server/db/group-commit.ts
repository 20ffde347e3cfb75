/** What became of one call in a batch: its result, or the error it alone failed with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** The most calls one transaction takes. */
  maxBatch: number;
  /** How many batches may be written at the same time. */
  maxInFlight: number;
}

/**
 * Group commit: calls that arrive while a batch is being written wait for the next one and are written
 * together, in one transaction, so that a hall voting at once costs a few transactions instead of one
 * each. Nothing waits for company: after a quiet spell the first call goes at once (with those
 * submitted in the same turn of the event loop). Each caller is answered when its batch has committed,
 * with its own outcome.
 */
export class GroupCommit<Call, Result> {
  private queue: { call: Call; resolve: (value: Result) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (calls: Call[]) => Promise<Outcome<Result>[]>,
    private readonly options: GroupCommitOptions
  ) {}

  submit(call: Call): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush() {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.write(batch.map((entry) => entry.call))
        .then(
          (outcomes) =>
            batch.forEach((entry, i) => {
              const outcome = outcomes[i];
              if (outcome?.ok) entry.resolve(outcome.value);
              else entry.reject(outcome ? outcome.error : new Error('The batch returned no outcome for this call.'));
            }),
          (error) => batch.forEach((entry) => entry.reject(error))
        )
        .finally(() => {
          this.inFlight--;
          this.flush();
        });
    }
  }
}
