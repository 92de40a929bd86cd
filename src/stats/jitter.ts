/**
 * Interarrival jitter, RFC 3550 section 6.4.1:
 *   D(i-1,i) = (R_i - R_{i-1}) - (S_i - S_{i-1}) = transit_i - transit_{i-1}
 *   J += (|D| - J) / 16
 * computed for every packet in arrival order, as the RFC and iperf 2 do. Clocks need not be
 * synchronized: a constant offset cancels in D. Units here are microseconds.
 */
export class JitterEstimator {
  jitterUs = 0;
  private lastTransitUs = NaN;

  /** `arrivalUs` and `sendUs` on any two clocks (their offset cancels). */
  record(arrivalUs: number, sendUs: number): void {
    const transit = arrivalUs - sendUs;
    if (this.lastTransitUs === this.lastTransitUs) {
      const d = transit - this.lastTransitUs;
      this.jitterUs += ((d < 0 ? -d : d) - this.jitterUs) / 16;
    }
    this.lastTransitUs = transit;
  }

  get jitterMs(): number {
    return this.jitterUs / 1000;
  }
}
