/** Sub-buckets per power of two above the linear range: a relative error under 1/64. */
const SUB_BUCKETS = 64;
/** Values below this (in µs) are counted exactly. */
const LINEAR = 2 * SUB_BUCKETS;
/** Up to 2^40 µs, far beyond any request. */
const OCTAVES = 40;

function bucketOf(micros: number): number {
  const value = Math.max(0, Math.round(micros));
  if (value < LINEAR) return value;
  const exponent = Math.floor(Math.log2(value));
  const shift = exponent - Math.log2(SUB_BUCKETS);
  const sub = Math.floor(value / 2 ** shift) - SUB_BUCKETS;
  return LINEAR + (exponent - Math.log2(LINEAR)) * SUB_BUCKETS + sub;
}

/** The largest value (µs) a bucket holds. */
function upperOf(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const octave = Math.floor((bucket - LINEAR) / SUB_BUCKETS);
  const sub = (bucket - LINEAR) % SUB_BUCKETS;
  const shift = octave + Math.log2(LINEAR) - Math.log2(SUB_BUCKETS);
  return (SUB_BUCKETS + sub + 1) * 2 ** shift - 1;
}

/** Latency figures of one series, in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * A log-linear latency histogram (HdrHistogram-like): exact below 128 µs, within 1.6% above,
 * constant memory whatever the number of requests.
 */
export class Histogram {
  private readonly counts = new Float64Array(LINEAR + OCTAVES * SUB_BUCKETS);
  private total = 0;
  private sum = 0;
  private max = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const micros = ms * 1000;
    const bucket = Math.min(this.counts.length - 1, bucketOf(micros));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total += 1;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  get count(): number {
    return this.total;
  }

  /** The latency (ms) at or below which `percent` % of the recorded requests fall. */
  percentile(percent: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil((percent / 100) * this.total);
    let seen = 0;
    for (let bucket = 0; bucket < this.counts.length; bucket += 1) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) return Math.min(this.max, upperOf(bucket) / 1000);
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      meanMs: this.total === 0 ? 0 : this.sum / this.total,
      p50Ms: this.percentile(50),
      p90Ms: this.percentile(90),
      p99Ms: this.percentile(99),
      maxMs: this.max,
    };
  }
}
