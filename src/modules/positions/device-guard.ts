// The two limits on device ingestion, in memory per instance: failed device authentications per
// client IP (an IPv6 /64 counting as one; guessing ids or tokens), and requests per device (one broken or hostile tracker
// must not degrade everyone's pages). Both answer 429 with Retry-After, which every tracking
// app treats as "keep the position and send it again later".
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { clientKey } from '../../http/client-key.js';
import { AppError } from '../../shared/errors.js';

export interface DeviceLimits {
  /** Failed device authentications per minute per client IP; beyond it every device request from that IP waits. */
  authFailuresPerMinute: number;
  /** Requests per minute one device may make to the ingestion endpoints. */
  requestsPerMinute: number;
}

export class DeviceGuard {
  private readonly failures: RateLimiterMemory;
  private readonly requests: RateLimiterMemory;

  constructor(private readonly limits: DeviceLimits) {
    this.failures = new RateLimiterMemory({ points: limits.authFailuresPerMinute, duration: 60 });
    this.requests = new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 });
  }

  /**
   * Before authenticating a device: an IP over its failures waits out the minute for every
   * attempt, right or wrong, or a guesser would still learn which guess was right.
   */
  async checkIp(ip: string): Promise<void> {
    const r = await this.failures.get(clientKey(ip));
    if (r && r.consumedPoints >= this.limits.authFailuresPerMinute) throw tooMany('Too many failed device authentications from your address', r.msBeforeNext);
  }

  async authFailed(ip: string): Promise<void> {
    await this.failures.penalty(clientKey(ip), 1);
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
