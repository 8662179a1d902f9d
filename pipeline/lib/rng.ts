/**
 * Seeded random numbers. Every random choice in the pipeline draws from one of these, seeded from
 * the experiment YAML.
 *
 * - `MT19937`: the Mersenne Twister both PyTorch's CPU generator and NumPy's legacy RandomState use.
 * - `TorchGenerator`, `NumpyRandomState`: emulate exactly the PyTorch / NumPy calls the original
 *   project made (original-system.md, Appendix A and §1.4), so its split, pairs and toy data can be
 *   reproduced bit for bit.
 * - `Rng`: the general stream for everything else; `new Rng(seed, label)` gives an independent
 *   stream per purpose, so adding a random draw in one place does not shift another.
 */
import { createHash } from 'node:crypto';

export class MT19937 {
  private mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let v = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  nextU32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits (NumPy's random_sample). */
  nextDouble(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** PyTorch CPU generator (torch.manual_seed(seed)) for rand, randn and randperm. */
export class TorchGenerator {
  private mt: MT19937;
  private cachedNormal: number | null = null;

  constructor(seed: number) {
    this.mt = new MT19937(seed);
  }

  private uniform24(): number {
    return Math.fround((this.mt.nextU32() & 0xffffff) / 16777216);
  }

  /** torch.rand(n) (float32). */
  rand(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform24();
    return out;
  }

  private boxMuller16(buf: Float32Array, out: Float32Array, at: number): void {
    for (let j = 0; j < 8; j++) {
      const u1 = 1 - buf[at + j];
      const u2 = buf[at + j + 8];
      const r = Math.sqrt(-2 * Math.log(u1));
      const th = 2 * Math.PI * u2;
      out[at + j] = r * Math.cos(th);
      out[at + j + 8] = r * Math.sin(th);
    }
  }

  /**
   * torch.randn(n) (float32). n ≥ 16 follows PyTorch 1.13's blocked Box–Muller exactly; n < 16
   * uses a double-precision Box–Muller that is not bit-exact with PyTorch.
   */
  randn(n: number): Float32Array {
    const out = new Float32Array(n);
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.normalScalar();
      return out;
    }
    const buf = this.rand(n);
    for (let i = 0; i + 16 <= n; i += 16) this.boxMuller16(buf, out, i);
    if (n % 16 !== 0) {
      const extra = this.rand(16);
      buf.set(extra, n - 16);
      this.boxMuller16(buf, out, n - 16);
    }
    return out;
  }

  private normalScalar(): number {
    if (this.cachedNormal !== null) {
      const v = this.cachedNormal;
      this.cachedNormal = null;
      return v;
    }
    const u1 = this.mt.nextDouble();
    const u2 = this.mt.nextDouble();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const th = 2 * Math.PI * u1;
    this.cachedNormal = r * Math.sin(th);
    return r * Math.cos(th);
  }

  /** torch.randperm(n) for small n on the CPU. */
  randperm(n: number): number[] {
    const r = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n - 1; i++) {
      const z = this.mt.nextU32() % (n - i);
      const t = r[i];
      r[i] = r[i + z];
      r[i + z] = t;
    }
    return r;
  }
}

/** NumPy's legacy global RandomState (np.random.seed(seed)). */
export class NumpyRandomState {
  private mt: MT19937;

  constructor(seed: number) {
    this.mt = new MT19937(seed);
  }

  /** Uniform integer in [0, max] by masked rejection (legacy rk_interval). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.mt.nextU32() & mask) >>> 0; while (v > max);
    return v;
  }

  /** np.random.permutation(n): Fisher–Yates from the last index down. */
  permutation(n: number): number[] {
    const x = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** np.random.choice(n, 2, replace=False). */
  choice2(n: number): [number, number] {
    const p = this.permutation(n);
    return [p[0], p[1]];
  }

  randomSample(): number {
    return this.mt.nextDouble();
  }
}

function seedFrom(seed: number, label: string): number {
  if (!label) return seed >>> 0;
  return createHash('sha256').update(`${seed}\u0000${label}`).digest().readUInt32LE(0);
}

/** The general seeded stream. */
export class Rng {
  private mt: MT19937;
  private cached: number | null = null;

  constructor(readonly seed: number, readonly label = '') {
    this.mt = new MT19937(seedFrom(seed, label));
  }

  /** Uniform double in [0, 1). */
  uniform(): number {
    return this.mt.nextDouble();
  }

  /** Standard normal (Box–Muller, second value cached). */
  normal(): number {
    if (this.cached !== null) {
      const v = this.cached;
      this.cached = null;
      return v;
    }
    let u1 = this.uniform();
    while (u1 === 0) u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.cached = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`Rng.int needs n ≥ 1, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
