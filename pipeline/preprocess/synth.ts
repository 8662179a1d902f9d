/**
 * Synthetic stand-ins for the original recordings: a loudspeaker tone reflected by an object turned
 * to an angle, recorded by a nearby microphone. The model and its equations are documented in
 * docs/synthetic-data.md; the constants below are the ones named there.
 *
 * Every recording draws from its own stream `new Rng(seed, "synthetic/<material>/<freq>/<class>/<seq>")`,
 * so a file does not depend on which other files are generated, and the same seed gives the same
 * samples (and, through the WAV encoder, the same bytes).
 */
import type { ResolvedConfig } from '../core/config.ts';
import { MT19937, Rng } from '../lib/rng.ts';
import type { RecordingRef } from './dataset.ts';
import { hzOf } from '../core/schema.ts';

export type Material = 'plastic' | 'box';

/** Room and object geometry, metres. */
export const GEOMETRY = {
  soundSpeed: 343,
  /** loudspeaker → microphone */
  directPath: 0.3,
  /** loudspeaker/microphone → the object's rotation axis */
  objectDistance: 0.365,
  /** offset of the reflecting face's centre from the rotation axis (makes 0° and 180° differ) */
  faceOffset: 0.043,
  /** width of the reflecting face */
  faceWidth: 0.12,
  /** a fixed wall reflection (angle-independent colouring) */
  wallPath: 2.2,
  wallGain: 0.2,
} as const;

export interface Mode { hz: number; q: number; gain: number }
export interface MaterialModel {
  /** pressure reflection coefficient at low frequency */
  reflect: number;
  /** corner frequency of the absorption roll-off, Hz */
  absorbHz: number;
  /** share of the reflection that is diffuse (not angle-selective) */
  scatter: number;
  /** reflection strength of the back face relative to the front face */
  backFace: number;
  /** vibration modes re-radiated by the object */
  modes: Mode[];
}

export const MATERIALS: Record<Material, MaterialModel> = {
  plastic: {
    reflect: 0.9, absorbHz: 16000, scatter: 0.15, backFace: 0.55,
    modes: [{ hz: 780, q: 18, gain: 0.12 }, { hz: 2350, q: 30, gain: 0.1 }, { hz: 5200, q: 25, gain: 0.08 }],
  },
  box: {
    reflect: 0.55, absorbHz: 3000, scatter: 0.35, backFace: 0.8,
    modes: [{ hz: 260, q: 6, gain: 0.2 }, { hz: 720, q: 8, gain: 0.15 }, { hz: 1650, q: 10, gain: 0.1 }],
  },
};

/** Loudspeaker harmonic distortion: level (dB re the fundamental) and phase of harmonics 1…6. */
export const HARMONICS = [
  { db: 0, phase: 0 }, { db: -30, phase: 0.7 }, { db: -38, phase: 1.9 },
  { db: -46, phase: 2.8 }, { db: -54, phase: 0.4 }, { db: -62, phase: 1.3 },
] as const;
/** harmonics above this share of the Nyquist frequency are not synthesised */
const HARMONIC_LIMIT = 0.9;

/** Per-recording variation (standard deviations, or ranges of uniform draws). */
export const JITTER = {
  angleDeg: 4,
  directPath: 0.004,
  objectDistance: 0.006,
  gainDb: 0.5,
  noiseDb: 0.5,
  driftDepth: [0.02, 0.1],
  driftHz: [0.05, 0.5],
  sliceOffsetS: [0, 60],
} as const;

/** Background noise: white plus a low-frequency rumble (one-pole low-pass at this corner). */
const RUMBLE_HZ = 120;
const WHITE_SHARE = 0.6;
const RUMBLE_SHARE = 0.8;
/** Full-scale level of the unobstructed direct fundamental. */
const OUTPUT_SCALE = 0.18;

export interface Complex { re: number; im: number }

/** The placement of one recording (after jitter). */
export interface Placement {
  angleDeg: number;
  directPath: number;
  objectDistance: number;
}

/** sin(x)/x */
function sinc(x: number): number {
  return Math.abs(x) < 1e-9 ? 1 : Math.sin(x) / x;
}

/**
 * Complex transfer from loudspeaker to microphone at frequency f for a placement: the direct
 * path, the object's reflection plus its re-radiated resonances (both delayed by the reflection
 * path), and the wall reflection.
 */
export function transfer(f: number, p: Placement, material: Material): Complex {
  const g = GEOMETRY;
  const m = MATERIALS[material];
  const k = (2 * Math.PI * f) / g.soundSpeed;
  const th = (p.angleDeg * Math.PI) / 180;
  const reflPath = 2 * (p.objectDistance - g.faceOffset * Math.cos(th));
  const spread = p.directPath / reflPath;
  const face = m.backFace + (1 - m.backFace) * 0.5 * (1 + Math.cos(th));
  const lobe = m.scatter + (1 - m.scatter) * sinc(k * g.faceWidth * Math.sin(th));
  const rho = m.reflect / Math.sqrt(1 + (f / m.absorbHz) ** 2);
  // reflection (real gain) + resonances (complex, second-order band-pass per mode)
  let objRe = rho * face * lobe * spread;
  let objIm = 0;
  const exposure = face * (0.4 + 0.6 * Math.abs(Math.cos(th))) * spread;
  for (const mode of m.modes) {
    const x = mode.q * (f / mode.hz - mode.hz / f);
    const den = 1 + x * x; // gain / (1 + i·x)
    objRe += (exposure * mode.gain) / den;
    objIm += (-exposure * mode.gain * x) / den;
  }
  const path = (len: number, gRe: number, gIm: number): Complex => {
    const c = Math.cos(k * len), s = -Math.sin(k * len); // e^{−ik·len}
    return { re: gRe * c - gIm * s, im: gRe * s + gIm * c };
  };
  const d = path(p.directPath, 1, 0);
  const o = path(reflPath, objRe, objIm);
  const w = path(g.wallPath, g.wallGain, 0);
  return { re: d.re + o.re + w.re, im: d.im + o.im + w.im };
}

export interface RecordingSpec {
  material: Material;
  /** nominal angle of the class, degrees */
  angleDeg: number;
  /** tone frequency, Hz */
  frequency: number;
  sampleRate: number;
  /** seconds */
  duration: number;
  /** tone (unobstructed direct fundamental) to background-noise ratio, dB */
  snrDb: number;
}

const uniformIn = (rng: Rng, [lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng.uniform();

// Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9)
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Φ⁻¹(p) for p in (0, 1). */
export function inverseNormal(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5, r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * One recording, full-scale samples (the WAV encoder clips to [−1, 1]). Draw order from `rng`:
 * angle, direct path, object distance, gain, noise level, drift depth, drift rate, drift phase,
 * slice offset, the noise stream's seed; then one draw of that stream per sample.
 */
export function synthesize(spec: RecordingSpec, rng: Rng): Float32Array {
  const { sampleRate: sr, frequency: f0 } = spec;
  const n = Math.round(spec.duration * sr);
  const placement: Placement = {
    angleDeg: spec.angleDeg + JITTER.angleDeg * rng.normal(),
    directPath: GEOMETRY.directPath + JITTER.directPath * rng.normal(),
    objectDistance: GEOMETRY.objectDistance + JITTER.objectDistance * rng.normal(),
  };
  const gain = 10 ** ((JITTER.gainDb * rng.normal()) / 20);
  const noiseRms = Math.SQRT1_2 * 10 ** ((-spec.snrDb + JITTER.noiseDb * rng.normal()) / 20);
  const driftDepth = uniformIn(rng, JITTER.driftDepth);
  const driftHz = uniformIn(rng, JITTER.driftHz);
  const driftPhase = 2 * Math.PI * rng.uniform();
  const t0 = uniformIn(rng, JITTER.sliceOffsetS);

  // harmonic k: A_k·|H(k f0)|·sin(2π k f0 (t0 + t) + φ_k + arg H(k f0)), advanced by a phasor
  // (one pass per harmonic, so its state stays in registers)
  const tone = new Float64Array(n);
  HARMONICS.forEach((h, i) => {
    const f = (i + 1) * f0;
    if (f >= HARMONIC_LIMIT * (sr / 2)) return;
    const H = transfer(f, placement, spec.material);
    const phase = 2 * Math.PI * ((f * t0) % 1) + h.phase + Math.atan2(H.im, H.re);
    const amp = 10 ** (h.db / 20) * Math.hypot(H.re, H.im);
    const cr = Math.cos((2 * Math.PI * f) / sr), ci = Math.sin((2 * Math.PI * f) / sr);
    let re = Math.cos(phase), im = Math.sin(phase);
    for (let t = 0; t < n; t++) {
      tone[t] += amp * im;
      const r = re * cr - im * ci;
      im = re * ci + im * cr;
      re = r;
    }
  });

  // slow drift 1 + ε·sin(2π f_d (t0 + t) + ψ), also by a phasor
  const driftAt0 = 2 * Math.PI * ((driftHz * t0) % 1) + driftPhase;
  let dRe = Math.cos(driftAt0), dIm = Math.sin(driftAt0);
  const dCr = Math.cos((2 * Math.PI * driftHz) / sr), dCi = Math.sin((2 * Math.PI * driftHz) / sr);

  // noise: white w plus rumble r[t] = a·r[t−1] + √(1−a²)·w[t] (unit variance), normalised to unit variance
  const alpha = Math.exp((-2 * Math.PI * RUMBLE_HZ) / sr);
  const innov = Math.sqrt(1 - alpha * alpha);
  const noiseScale = noiseRms / Math.sqrt(WHITE_SHARE ** 2 + RUMBLE_SHARE ** 2 + 2 * WHITE_SHARE * RUMBLE_SHARE * innov);
  // Gaussian white noise: one 32-bit Mersenne-Twister output per sample through Φ⁻¹((u + ½)/2³²),
  // several times cheaper than Box–Muller on 53-bit uniforms
  const mt = new MT19937(rng.int(4294967296));
  const white = () => inverseNormal((mt.nextU32() + 0.5) / 4294967296);
  let rumble = white();

  const out = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    const w = white();
    rumble = alpha * rumble + innov * w;
    out[t] = OUTPUT_SCALE * (gain * (1 + driftDepth * dIm) * tone[t] + noiseScale * (WHITE_SHARE * w + RUMBLE_SHARE * rumble));
    const r = dRe * dCr - dIm * dCi;
    dIm = dRe * dCi + dIm * dCr;
    dRe = r;
  }
  return out;
}

/** The synthetic stand-in for one expected recording of the experiment (its own seeded stream). */
export function syntheticRecording(data: ResolvedConfig['data'], seed: number, ref: RecordingRef): Float32Array {
  const rng = new Rng(seed, `synthetic/${ref.material}/${ref.frequency}/${ref.class}/${ref.seq}`);
  return synthesize({
    material: data.material, angleDeg: ref.angle, frequency: hzOf(ref.frequency),
    sampleRate: data.sampleRate, duration: data.synthetic.duration, snrDb: data.synthetic.snrDb,
  }, rng);
}
