// Per-account lockout with backoff, next to the per-IP limit on the login route: an attacker
// spreading guesses over many addresses still gets a handful per email and hour. The count is
// kept per email whether or not an account has it, and a locked email answers the same 429 in
// both cases, so the lockout tells nothing about which emails exist. The price of any lockout:
// someone who knows an email can keep its owner out for a while (at most MAX_LOCK_MS per round).
import { AppError } from '../../shared/errors.js';
import { hashToken } from '../../shared/ids.js';
import type { LoginThrottleRepository } from './login-throttle.repository.js';

/** Failures (none a day apart from the next) before the first lock. */
export const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 15 * 60_000;
/** A count with no failure for this long starts again (and the housekeeping job deletes it). */
export const FORGET_FAILURES_AFTER_MS = 24 * 3600_000;

/** How long an account with `failures` counted failures, the last at `lastAt`, stays locked after `now` (0: open). */
export function lockRemainingMs(failures: number, lastAt: number, now: number): number {
  if (failures < FREE_FAILURES || now - lastAt >= FORGET_FAILURES_AFTER_MS) return 0;
  // 1 min after the 5th failure, then 2, 4, 8 and at most 15 minutes after each further one.
  const lockMs = Math.min(FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES), MAX_LOCK_MS);
  return Math.max(0, lastAt + lockMs - now);
}

export class LoginThrottle {
  /** The attempt under way per account on this instance: parallel guesses queue instead of racing the count. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repo: LoginThrottleRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Runs one sign-in attempt for `email`: refused with 429 while the email is locked, and counted
   * as a failure when `attempt` throws `unauthorized`. A success clears nothing: an email may have
   * accounts in several orgs, and any owner may add a user with any address, so a sign-in to one's
   * own account of it would otherwise reset the count of guesses at another org's account (and
   * clearing only when no other org has the address would tell which addresses other orgs use).
   * Time alone forgets failures: the lock runs out, and a day without failures starts afresh.
   */
  guard<T>(email: string, attempt: () => Promise<T>): Promise<T> {
    const account = hashToken(email);
    const prior = this.inFlight.get(account) ?? Promise.resolve();
    const run = prior.catch(() => undefined).then(() => this.run(account, attempt));
    this.inFlight.set(account, run);
    const forget = () => {
      if (this.inFlight.get(account) === run) this.inFlight.delete(account);
    };
    run.then(forget, forget);
    return run;
  }

  private async run<T>(account: string, attempt: () => Promise<T>): Promise<T> {
    const state = await this.repo.find(account);
    const remaining = state ? lockRemainingMs(state.failures, state.last_failure_at, this.now()) : 0;
    if (remaining > 0) {
      const minutes = Math.ceil(remaining / 60_000);
      throw AppError.rateLimited(`Too many failed sign-ins for this email; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, Math.ceil(remaining / 1000));
    }
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') {
        const now = this.now();
        await this.repo.recordFailure(account, now, now - FORGET_FAILURES_AFTER_MS);
      }
      throw err;
    }
  }

  /** Deletes counts nobody added to for a day (housekeeping). */
  purge(now: number): Promise<void> {
    return this.repo.purgeOlderThan(now - FORGET_FAILURES_AFTER_MS);
  }
}
