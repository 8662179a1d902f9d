/*
 * The project's own WebAssembly kernels (SIMD), run on the tfjs wasm backend's memory: every
 * pointer is the heap offset of a tfjs tensor (or of a scratch tensor the caller allocated).
 * No libc, no stack, no static data: the module imports the backend's memory and owns nothing.
 * Build: ./build.sh (clang --target=wasm32 -O3 -msimd128); the result, kernels.wasm, is committed.
 *
 * Layout: channels last; a tensor [N, H, W, C] is `rows` = N·H·W rows of `c` floats.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define BLOCK 128 /* rows summed in float before adding to the double totals */

static void zero_f(float *restrict p, int n) {
  for (int i = 0; i < n; i++) p[i] = 0.0f;
}

static void zero_d(double *restrict p, int n) {
  for (int i = 0; i < n; i++) p[i] = 0.0;
}

/*
 * Batch-norm statistics in one pass, shifted for precision:
 *   out[k] = Σ_r (x[r,k] − shift[k]),  out[c + k] = Σ_r (x[r,k] − shift[k])²
 * scratch: 2·c floats.
 */
EXPORT(bn_stats)
void bn_stats(const float *restrict x, int rows, int c, const float *restrict shift, float *restrict scratch, double *restrict out) {
  float *restrict s1 = scratch;
  float *restrict s2 = scratch + c;
  zero_d(out, 2 * c);
  for (int r0 = 0; r0 < rows; r0 += BLOCK) {
    int r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    zero_f(scratch, 2 * c);
    for (int r = r0; r < r1; r++) {
      const float *restrict p = x + (intptr_t)r * c;
      for (int k = 0; k < c; k++) {
        float d = p[k] - shift[k];
        s1[k] += d;
        s2[k] += d * d;
      }
    }
    for (int k = 0; k < c; k++) {
      out[k] += s1[k];
      out[c + k] += s2[k];
    }
  }
}

/* y = x·a + b per channel (+ r, a residual of x's shape, unless r is 0), then max(0, ·) when relu. */
EXPORT(channel_affine)
void channel_affine(const float *restrict x, int rows, int c, const float *restrict a, const float *restrict b, int relu,
                    const float *restrict r, float *restrict y) {
  for (int i = 0; i < rows; i++) {
    const intptr_t o = (intptr_t)i * c;
    const float *restrict p = x + o;
    float *restrict q = y + o;
    if (r) {
      const float *restrict s = r + o;
      if (relu) {
        for (int k = 0; k < c; k++) {
          float v = p[k] * a[k] + b[k] + s[k];
          q[k] = v > 0.0f ? v : 0.0f;
        }
      } else {
        for (int k = 0; k < c; k++) q[k] = p[k] * a[k] + b[k] + s[k];
      }
    } else if (relu) {
      for (int k = 0; k < c; k++) {
        float v = p[k] * a[k] + b[k];
        q[k] = v > 0.0f ? v : 0.0f;
      }
    } else {
      for (int k = 0; k < c; k++) q[k] = p[k] * a[k] + b[k];
    }
  }
}

/*
 * Batch-norm gradient sums, with g = dy masked by y > 0 when relu (y = the layer's output):
 *   out[k] = Σ g,  out[c + k] = Σ g·(x − shift)
 * and, with relu, g itself into gout unless gout is 0 (the gradient of a residual added before the ReLU).
 * scratch: 2·c floats.
 */
EXPORT(bn_grad_stats)
void bn_grad_stats(const float *restrict dy, const float *restrict y, const float *restrict x, int rows, int c, int relu,
                   const float *restrict shift, float *restrict scratch, double *restrict out, float *restrict gout) {
  float *restrict s1 = scratch;
  float *restrict s2 = scratch + c;
  zero_d(out, 2 * c);
  for (int r0 = 0; r0 < rows; r0 += BLOCK) {
    int r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    zero_f(scratch, 2 * c);
    for (int r = r0; r < r1; r++) {
      const intptr_t o = (intptr_t)r * c;
      if (gout) {
        /* explicit SIMD: written as a conditional load, the loop would not be vectorised (and branch) */
        int k = 0;
        for (; k + 4 <= c; k += 4) {
          v128_t g = wasm_v128_and(wasm_v128_load(dy + o + k), wasm_f32x4_gt(wasm_v128_load(y + o + k), wasm_f32x4_splat(0.0f)));
          wasm_v128_store(gout + o + k, g);
          wasm_v128_store(s1 + k, wasm_f32x4_add(wasm_v128_load(s1 + k), g));
          v128_t d = wasm_f32x4_sub(wasm_v128_load(x + o + k), wasm_v128_load(shift + k));
          wasm_v128_store(s2 + k, wasm_f32x4_add(wasm_v128_load(s2 + k), wasm_f32x4_mul(g, d)));
        }
        for (; k < c; k++) {
          float d = dy[o + k];
          float g = y[o + k] > 0.0f ? d : 0.0f;
          gout[o + k] = g;
          s1[k] += g;
          s2[k] += g * (x[o + k] - shift[k]);
        }
      } else {
        for (int k = 0; k < c; k++) {
          float g = dy[o + k];
          if (relu) g = y[o + k] > 0.0f ? g : 0.0f;
          s1[k] += g;
          s2[k] += g * (x[o + k] - shift[k]);
        }
      }
    }
    for (int k = 0; k < c; k++) {
      out[k] += s1[k];
      out[c + k] += s2[k];
    }
  }
}

/*
 * Batch-norm input gradient dx = g·a + x·m + b (g masked as in bn_grad_stats), and its channel
 * sums Σ dx (the gradient of a bias added before the batch norm) into out[k].
 * scratch: c floats.
 */
EXPORT(bn_grad_apply)
void bn_grad_apply(const float *restrict dy, const float *restrict y, const float *restrict x, int rows, int c, int relu,
                   const float *restrict a, const float *restrict m, const float *restrict b, float *restrict dx,
                   float *restrict scratch, double *restrict out) {
  zero_d(out, c);
  for (int r0 = 0; r0 < rows; r0 += BLOCK) {
    int r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    zero_f(scratch, c);
    for (int r = r0; r < r1; r++) {
      const intptr_t o = (intptr_t)r * c;
      for (int k = 0; k < c; k++) {
        float g = dy[o + k];
        if (relu) g = y[o + k] > 0.0f ? g : 0.0f;
        float v = g * a[k] + x[o + k] * m[k] + b[k];
        dx[o + k] = v;
        scratch[k] += v;
      }
    }
    for (int k = 0; k < c; k++) out[k] += scratch[k];
  }
}

/*
 * Max-pool gradient: each output's gradient goes to the first maximum of its window (row-major),
 * summed where windows overlap. x, dx [n, h, w, c]; dy [n, oh, ow, c].
 * scratch: c floats and c ints (best value, best offset).
 */
EXPORT(max_pool_grad)
void max_pool_grad(const float *restrict x, const float *restrict dy, float *restrict dx, int n, int h, int w, int c, int oh, int ow,
                   int fh, int fw, int sh, int sw, int top, int left, float *restrict best, int32_t *restrict at) {
  const intptr_t row = (intptr_t)w * c;
  zero_f(dx, n * h * w * c);
  for (int b = 0; b < n; b++) {
    const intptr_t base = (intptr_t)b * h * row;
    for (int i = 0; i < oh; i++) {
      int r0 = i * sh - top, r1 = i * sh - top + fh;
      if (r0 < 0) r0 = 0;
      if (r1 > h) r1 = h;
      for (int j = 0; j < ow; j++) {
        int c0 = j * sw - left, c1 = j * sw - left + fw;
        if (c0 < 0) c0 = 0;
        if (c1 > w) c1 = w;
        const intptr_t first = base + r0 * row + (intptr_t)c0 * c;
        for (int k = 0; k < c; k++) {
          best[k] = x[first + k];
          at[k] = (int32_t)(first + k);
        }
        for (int r = r0; r < r1; r++) {
          for (int col = (r == r0 ? c0 + 1 : c0); col < c1; col++) {
            const intptr_t p = base + r * row + (intptr_t)col * c;
            for (int k = 0; k < c; k++) {
              float v = x[p + k];
              int better = v > best[k];
              best[k] = better ? v : best[k];
              at[k] = better ? (int32_t)(p + k) : at[k];
            }
          }
        }
        const float *restrict g = dy + (((intptr_t)b * oh + i) * ow + j) * c;
        for (int k = 0; k < c; k++) dx[at[k]] += g[k];
      }
    }
  }
}

/*
 * Max-pool gradient for non-overlapping 2×2 windows, stride 2, no padding (torch MaxPool2d(2)):
 * every input pixel belongs to at most one window, so dx is written once, branch-free.
 */
EXPORT(max_pool_grad_2x2)
void max_pool_grad_2x2(const float *restrict x, const float *restrict dy, float *restrict dx, int n, int h, int w, int c, int oh, int ow) {
  const intptr_t row = (intptr_t)w * c;
  if (oh * 2 != h || ow * 2 != w) zero_f(dx, n * h * w * c);
  for (int b = 0; b < n; b++) {
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        const intptr_t p00 = ((intptr_t)b * h + 2 * i) * row + (intptr_t)(2 * j) * c;
        const intptr_t p01 = p00 + c, p10 = p00 + row, p11 = p10 + c;
        const float *restrict g = dy + (((intptr_t)b * oh + i) * ow + j) * c;
        for (int k = 0; k < c; k++) {
          float v00 = x[p00 + k], v01 = x[p01 + k], v10 = x[p10 + k], v11 = x[p11 + k];
          float m = v00;
          int is01 = v01 > m;
          m = is01 ? v01 : m;
          int is10 = v10 > m;
          m = is10 ? v10 : m;
          int is11 = v11 > m;
          is10 = is10 & !is11;
          is01 = is01 & !is10 & !is11;
          int is00 = !(is01 | is10 | is11);
          float gk = g[k];
          dx[p00 + k] = is00 ? gk : 0.0f;
          dx[p01 + k] = is01 ? gk : 0.0f;
          dx[p10 + k] = is10 ? gk : 0.0f;
          dx[p11 + k] = is11 ? gk : 0.0f;
        }
      }
    }
  }
}

/*
 * Convolution filter gradient, direct (no im2col, no packing):
 *   dw[kh, kw, ci, co] = Σ_{b, i, j} x[b, i·sh + kh − pt, j·sw + kw − pl, ci] · dy[b, i, j, co]
 * x [n, h, w, cin], dy [n, oh, ow, cout], dw [fh, fw, cin, cout]. For each output row and filter tap,
 * a 2 (input channels) × 16 (output channels) block of dw is accumulated in registers along the
 * row; other channel counts take narrower blocks.
 */
/* One output row, one filter tap: dw rows d0 (and d1 when two) += Σ_t x[t·xstride (+1)] · g[t, :]. */
static inline void fg_row(const float *restrict xr, int xstride, const float *restrict g, int cout, int count,
                          float *restrict d0, float *restrict d1, int two) {
  int co = 0;
  for (; co + 16 <= cout; co += 16) {
    v128_t a00 = wasm_f32x4_splat(0), a01 = a00, a02 = a00, a03 = a00;
    v128_t a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    const float *restrict xp = xr;
    const float *restrict gp = g + co;
    for (int t = 0; t < count; t++, xp += xstride, gp += cout) {
      v128_t g0 = wasm_v128_load(gp), g1 = wasm_v128_load(gp + 4), g2 = wasm_v128_load(gp + 8), g3 = wasm_v128_load(gp + 12);
      v128_t s0 = wasm_f32x4_splat(xp[0]);
      a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(s0, g0));
      a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(s0, g1));
      a02 = wasm_f32x4_add(a02, wasm_f32x4_mul(s0, g2));
      a03 = wasm_f32x4_add(a03, wasm_f32x4_mul(s0, g3));
      if (two) {
        v128_t s1 = wasm_f32x4_splat(xp[1]);
        a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(s1, g0));
        a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(s1, g1));
        a12 = wasm_f32x4_add(a12, wasm_f32x4_mul(s1, g2));
        a13 = wasm_f32x4_add(a13, wasm_f32x4_mul(s1, g3));
      }
    }
    wasm_v128_store(d0 + co, wasm_f32x4_add(wasm_v128_load(d0 + co), a00));
    wasm_v128_store(d0 + co + 4, wasm_f32x4_add(wasm_v128_load(d0 + co + 4), a01));
    wasm_v128_store(d0 + co + 8, wasm_f32x4_add(wasm_v128_load(d0 + co + 8), a02));
    wasm_v128_store(d0 + co + 12, wasm_f32x4_add(wasm_v128_load(d0 + co + 12), a03));
    if (two) {
      wasm_v128_store(d1 + co, wasm_f32x4_add(wasm_v128_load(d1 + co), a10));
      wasm_v128_store(d1 + co + 4, wasm_f32x4_add(wasm_v128_load(d1 + co + 4), a11));
      wasm_v128_store(d1 + co + 8, wasm_f32x4_add(wasm_v128_load(d1 + co + 8), a12));
      wasm_v128_store(d1 + co + 12, wasm_f32x4_add(wasm_v128_load(d1 + co + 12), a13));
    }
  }
  for (; co < cout; co++) {
    float s0 = 0.0f, s1 = 0.0f;
    const float *restrict xp = xr;
    const float *restrict gp = g + co;
    for (int t = 0; t < count; t++, xp += xstride, gp += cout) {
      s0 += xp[0] * gp[0];
      if (two) s1 += xp[1] * gp[0];
    }
    d0[co] += s0;
    if (two) d1[co] += s1;
  }
}

EXPORT(conv_filter_grad)
void conv_filter_grad(const float *restrict x, const float *restrict dy, float *restrict dw, int n, int h, int w, int cin,
                      int oh, int ow, int cout, int fh, int fw, int sh, int sw, int pt, int pl) {
  zero_f(dw, fh * fw * cin * cout);
  for (int b = 0; b < n; b++) {
    for (int i = 0; i < oh; i++) {
      const float *restrict grow = dy + ((intptr_t)b * oh + i) * ow * cout;
      for (int kh = 0; kh < fh; kh++) {
        const int ih = i * sh + kh - pt;
        if (ih < 0 || ih >= h) continue;
        const float *restrict xrow = x + ((intptr_t)b * h + ih) * w * cin;
        for (int kw = 0; kw < fw; kw++) {
          /* output columns j whose input column j·sw + kw − pl lies in [0, w) */
          int lo = pl - kw > 0 ? (pl - kw + sw - 1) / sw : 0;
          int hi = (w - 1 + pl - kw) >= 0 ? (w - 1 + pl - kw) / sw + 1 : 0;
          if (hi > ow) hi = ow;
          if (lo >= hi) continue;
          const float *restrict xs = xrow + ((intptr_t)lo * sw + kw - pl) * cin;
          const float *restrict gs = grow + (intptr_t)lo * cout;
          float *restrict d = dw + ((intptr_t)(kh * fw + kw) * cin) * cout;
          int c = 0;
          for (; c + 2 <= cin; c += 2) fg_row(xs + c, sw * cin, gs, cout, hi - lo, d + c * cout, d + (c + 1) * cout, 1);
          if (c < cin) fg_row(xs + c, sw * cin, gs, cout, hi - lo, d + c * cout, d + c * cout, 0);
        }
      }
    }
  }
}

/*
 * Direct convolution (no im2col, no packing), zero padding:
 *   y[b, i, j, co] = Σ_{kh, kw, c} x[b, i·sh + kh − pt, j·sw + kw − pl, c] · w[kh, kw, c, co]
 * x [n, h, w, cin], w [fh, fw, cin, cout], y [n, oh, ow, cout]. For one output pixel and one filter
 * row, the valid taps kw ∈ [k0, k1) read contiguous x (k1 − k0 pixels of cin) and contiguous w
 * ((k1 − k0)·cin rows of cout): one dot product of length (k1 − k0)·cin per output channel.
 * Interior pixels go in pairs with 16 output channels in SIMD registers (2 × 4 vectors), as in
 * conv_filter_grad; border pixels (some taps in the padding) one at a time.
 */
/* acc (np pixels × nv vectors) += Σ_t x_p[t] · w[t, co … co + 4·nv) over t < len */
static inline void conv_dot(const float *restrict x0, const float *restrict x1, int np, const float *restrict wp, int cout, int len,
                            int nv, v128_t *restrict a) {
  for (int t = 0; t < len; t++, wp += cout) {
    v128_t g[4];
    for (int v = 0; v < nv; v++) g[v] = wasm_v128_load(wp + 4 * v);
    v128_t s0 = wasm_v128_load32_splat(x0 + t);
    for (int v = 0; v < nv; v++) a[v] = wasm_f32x4_add(a[v], wasm_f32x4_mul(s0, g[v]));
    if (np == 2) {
      v128_t s1 = wasm_v128_load32_splat(x1 + t);
      for (int v = 0; v < nv; v++) a[4 + v] = wasm_f32x4_add(a[4 + v], wasm_f32x4_mul(s1, g[v]));
    }
  }
}

/* One block of output pixels (np = 1 or 2, the second sw·cin after the first in x, ypix after it in y) and channels [co, co + 4·nv). */
static inline void conv_block(const float *restrict x, const float *restrict w, float *restrict y0, intptr_t ypix, int b, int i, int j,
                              int np, int co, int nv, int h, int wd, int cin, int cout, int fh, int fw, int sh, int sw, int pt, int pl) {
  v128_t a[8];
  for (int v = 0; v < 8; v++) a[v] = wasm_f32x4_splat(0.0f);
  const int col = j * sw - pl;
  const int k0 = col < 0 ? -col : 0;
  const int k1 = col + fw > wd ? wd - col : fw;
  for (int kh = 0; kh < fh; kh++) {
    const int ih = i * sh + kh - pt;
    if (ih < 0 || ih >= h || k0 >= k1) continue;
    const float *restrict xp = x + (((intptr_t)b * h + ih) * wd + col + k0) * cin;
    const float *restrict wp = w + ((intptr_t)(kh * fw + k0) * cin) * cout + co;
    const int len = (k1 - k0) * cin;
    if (np == 2) conv_dot(xp, xp + (intptr_t)sw * cin, 2, wp, cout, len, nv, a);
    else conv_dot(xp, xp, 1, wp, cout, len, nv, a);
  }
  for (int v = 0; v < nv; v++) wasm_v128_store(y0 + co + 4 * v, a[v]);
  if (np == 2)
    for (int v = 0; v < nv; v++) wasm_v128_store(y0 + ypix + co + 4 * v, a[4 + v]);
}

/* Channels [co, cout) (fewer than 4) of one pixel, scalar. */
static void conv_tail(const float *restrict x, const float *restrict w, float *restrict y0, int b, int i, int j, int co,
                      int h, int wd, int cin, int cout, int fh, int fw, int sh, int sw, int pt, int pl) {
  const int col = j * sw - pl;
  const int k0 = col < 0 ? -col : 0;
  const int k1 = col + fw > wd ? wd - col : fw;
  for (int o = co; o < cout; o++) {
    float s = 0.0f;
    for (int kh = 0; kh < fh; kh++) {
      const int ih = i * sh + kh - pt;
      if (ih < 0 || ih >= h || k0 >= k1) continue;
      const float *restrict xp = x + (((intptr_t)b * h + ih) * wd + col + k0) * cin;
      const float *restrict wp = w + ((intptr_t)(kh * fw + k0) * cin) * cout + o;
      const int len = (k1 - k0) * cin;
      for (int t = 0; t < len; t++) s += xp[t] * wp[(intptr_t)t * cout];
    }
    y0[o] = s;
  }
}

/*
 * y is addressed with strides (in floats) so that a strided transposed convolution can write each
 * of its phases straight into place: pixel (b, i, j) at y + b·ybatch + i·yrow + j·ypix. Negative
 * pt, pl start the output that many rows/columns into the unpadded input. fh = 0 or fw = 0
 * writes zeros.
 */
EXPORT(conv2d_direct)
void conv2d_direct(const float *restrict x, const float *restrict w, float *restrict y, int n, int h, int wd, int cin,
                   int oh, int ow, int cout, int fh, int fw, int sh, int sw, int pt, int pl, int ybatch, int yrow, int ypix) {
  /* output columns whose taps all lie inside the input: [jlo, jhi) */
  int jlo = pl > 0 ? (pl + sw - 1) / sw : 0;
  int jhi = wd - fw + pl >= 0 ? (wd - fw + pl) / sw + 1 : 0;
  if (jhi > ow) jhi = ow;
  if (jlo > jhi) jlo = jhi;
  for (int b = 0; b < n; b++) {
    for (int i = 0; i < oh; i++) {
      float *restrict yrow_p = y + (intptr_t)b * ybatch + (intptr_t)i * yrow;
      for (int j = 0; j < ow;) {
        const int np = (j >= jlo && j + 1 < jhi) ? 2 : 1;
        float *restrict y0 = yrow_p + (intptr_t)j * ypix;
        int co = 0;
        for (; co + 16 <= cout; co += 16) {
          if (np == 2) conv_block(x, w, y0, ypix, b, i, j, 2, co, 4, h, wd, cin, cout, fh, fw, sh, sw, pt, pl);
          else conv_block(x, w, y0, ypix, b, i, j, 1, co, 4, h, wd, cin, cout, fh, fw, sh, sw, pt, pl);
        }
        for (; co + 4 <= cout; co += 4) {
          if (np == 2) conv_block(x, w, y0, ypix, b, i, j, 2, co, 1, h, wd, cin, cout, fh, fw, sh, sw, pt, pl);
          else conv_block(x, w, y0, ypix, b, i, j, 1, co, 1, h, wd, cin, cout, fh, fw, sh, sw, pt, pl);
        }
        if (co < cout) {
          conv_tail(x, w, y0, b, i, j, co, h, wd, cin, cout, fh, fw, sh, sw, pt, pl);
          if (np == 2) conv_tail(x, w, y0 + ypix, b, i, j + 1, co, h, wd, cin, cout, fh, fw, sh, sw, pt, pl);
        }
        j += np;
      }
    }
  }
}
