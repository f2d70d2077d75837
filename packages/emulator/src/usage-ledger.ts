import type { ResolvedOptions } from './options.js';

/** The account behind the key: what `GET /api/usage/token/` reports. */
export class UsageLedger {
  private imagesDelivered = 0;

  constructor(private readonly quota: ResolvedOptions['quota']) {}

  /** Only images of completed jobs cost anything, as with a real quota. */
  recordImages(count: number): void {
    this.imagesDelivered += count;
  }

  report(): TokenUsage {
    const used = this.imagesDelivered * this.quota.costPerImage;
    return {
      object: 'token_usage',
      name: 'emulator',
      total_granted: this.quota.granted,
      total_used: used,
      total_available: this.quota.granted - used,
      unlimited_quota: false,
      expires_at: 0,
    };
  }
}

export interface TokenUsage {
  object: 'token_usage';
  name: string;
  total_granted: number;
  total_used: number;
  total_available: number;
  unlimited_quota: boolean;
  expires_at: number;
}
