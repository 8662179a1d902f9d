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

/* y = x·a + b per channel, then max(0, ·) when relu. */
EXPORT(channel_affine)
void channel_affine(const float *restrict x, int rows, int c, const float *restrict a, const float *restrict b, int relu, float *restrict y) {
  for (int r = 0; r < rows; r++) {
    const float *restrict p = x + (intptr_t)r * c;
    float *restrict q = y + (intptr_t)r * c;
    if (relu) {
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
 * scratch: 2·c floats.
 */
EXPORT(bn_grad_stats)
void bn_grad_stats(const float *restrict dy, const float *restrict y, const float *restrict x, int rows, int c, int relu,
                   const float *restrict shift, float *restrict scratch, double *restrict out) {
  float *restrict s1 = scratch;
  float *restrict s2 = scratch + c;
  zero_d(out, 2 * c);
  for (int r0 = 0; r0 < rows; r0 += BLOCK) {
    int r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    zero_f(scratch, 2 * c);
    for (int r = r0; r < r1; r++) {
      const intptr_t o = (intptr_t)r * c;
      for (int k = 0; k < c; k++) {
        float g = dy[o + k];
        if (relu) g = y[o + k] > 0.0f ? g : 0.0f;
        s1[k] += g;
        s2[k] += g * (x[o + k] - shift[k]);
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
 * Copy one phase of a strided transposed convolution into place:
 *   dst[b, ph + sh·a, pw + sw·j, :] = src[b, a + skip_a, j + skip_b, :]   (a < count_a, j < count_b)
 * or zeros when src is 0. src [n, src_h, src_w, c], dst [n, h, w, c].
 */
EXPORT(phase_scatter)
void phase_scatter(const float *restrict src, float *restrict dst, int n, int h, int w, int c, int src_h, int src_w,
                   int ph, int pw, int sh, int sw, int count_a, int count_b, int skip_a, int skip_b) {
  for (int b = 0; b < n; b++) {
    for (int a = 0; a < count_a; a++) {
      float *restrict d = dst + (((intptr_t)b * h + ph + sh * a) * w + pw) * c;
      if (!src) {
        for (int j = 0; j < count_b; j++, d += (intptr_t)sw * c) zero_f(d, c);
        continue;
      }
      const float *restrict s = src + (((intptr_t)b * src_h + a + skip_a) * src_w + skip_b) * c;
      for (int j = 0; j < count_b; j++, d += (intptr_t)sw * c, s += c) __builtin_memcpy(d, s, (unsigned long)c * sizeof(float));
    }
  }
}
