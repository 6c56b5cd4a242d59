// The limits on device ingestion, in memory per instance: failed device authentications per
// credential (one phone set up with an old token) and per client IP (an IPv6 /64 counting as one;
// guessing ids or tokens), and requests per device (one broken or hostile tracker must not degrade
// everyone's pages). All answer 429 with Retry-After, which every tracking app treats as "keep the
// position and send it again later".
//
// Why per credential first: phones on a mobile network share their carrier's NAT address with
// thousands of others, other tenants' phones among them. Counted per IP alone, two or three
// phones retrying an old token every few seconds made every device behind that address wait, all
// day. A failing credential is now refused on its own after a few tries, so it adds at most that
// many failures a minute to its address's count; the address is held only when many different
// credentials fail from it (someone guessing: every credential is a random secret of 120 bits or
// more, so the per-IP limit is load protection, not what makes guessing hopeless).
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { clientKey } from '../../http/client-key.js';
import { AppError } from '../../shared/errors.js';
import { hashToken } from '../../shared/ids.js';

export interface DeviceLimits {
  /** Failed device authentications per minute per client IP; beyond it every device request from that IP waits. */
  authFailuresPerMinute: number;
  /** Failed authentications per minute with one credential; beyond it that credential waits (and stops counting for its IP). */
  credentialFailuresPerMinute: number;
  /** Requests per minute one device may make to the ingestion endpoints. */
  requestsPerMinute: number;
}

export class DeviceGuard {
  private readonly failures: RateLimiterMemory;
  private readonly credentialFailures: RateLimiterMemory;
  private readonly requests: RateLimiterMemory;

  constructor(private readonly limits: DeviceLimits) {
    this.failures = new RateLimiterMemory({ points: limits.authFailuresPerMinute, duration: 60 });
    this.credentialFailures = new RateLimiterMemory({ points: limits.credentialFailuresPerMinute, duration: 60 });
    this.requests = new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 });
  }

  /**
   * Before authenticating a device with `credential` (a token, an id on the bare URL, a Basic or
   * Bearer header; null when none was sent): an IP over its failures waits out the minute for
   * every attempt, right or wrong, or a guesser would still learn which guess was right; a
   * credential over its own failures waits too, and its retries no longer count for its IP.
   * Credentials are counted under their hash (hashToken): the limiter never holds the secret.
   */
  async checkFailures(ip: string, credential: string | null): Promise<void> {
    const r = await this.failures.get(clientKey(ip));
    if (r && r.consumedPoints >= this.limits.authFailuresPerMinute) throw tooMany('Too many failed device authentications from your address', r.msBeforeNext);
    if (credential === null) return;
    const c = await this.credentialFailures.get(hashToken(credential));
    if (c && c.consumedPoints >= this.limits.credentialFailuresPerMinute) throw tooMany('Too many failed device authentications with these credentials', c.msBeforeNext);
  }

  async authFailed(ip: string, credential: string | null): Promise<void> {
    await this.failures.penalty(clientKey(ip), 1);
    if (credential !== null) await this.credentialFailures.penalty(hashToken(credential), 1);
  }

  /** After authenticating: one request of this device's budget. */
  async admit(deviceId: string): Promise<void> {
    try {
      await this.requests.consume(deviceId);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw tooMany(`This device sends more than ${this.limits.requestsPerMinute} requests a minute`, err.msBeforeNext);
      throw err;
    }
  }
}

function tooMany(message: string, msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return AppError.rateLimited(`${message}; retry in ${seconds} s`, seconds);
}
