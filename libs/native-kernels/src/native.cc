// N-API addon: OpenBLAS single-precision GEMM and the element-wise kernels of the training step on
// memory the caller already owns (the wasm heap of tfjs-backend-wasm), addressed by byte offsets
// into a typed array, so no operand is copied. Row-major throughout; transposes go straight to
// sgemm's flags.
#include <node_api.h>
#include <cblas.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <string>
#include <vector>

extern "C" {
// OpenBLAS extensions (declared by OpenBLAS's cblas.h too; repeated so another cblas.h still builds).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
char *openblas_get_config(void);
}

namespace {

bool Fail(napi_env env, const std::string &message) {
  napi_throw_error(env, "ECODE_NATIVE", message.c_str());
  return false;
}

bool Check(napi_env env, napi_status status, const char *what) {
  if (status == napi_ok) return true;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) Fail(env, std::string("native-kernels: ") + what);
  return false;
}

bool GetInt(napi_env env, napi_value v, const char *name, int64_t min, int64_t *out) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) return Fail(env, std::string("native-kernels: ") + name + " must be a number");
  if (!(d >= static_cast<double>(min)) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<int64_t>(d)))
    return Fail(env, std::string("native-kernels: ") + name + " must be an integer >= " + std::to_string(min) + ", got " +
                         std::to_string(d));
  *out = static_cast<int64_t>(d);
  return true;
}

bool GetBool(napi_env env, napi_value v, const char *name, bool *out) {
  if (napi_get_value_bool(env, v, out) != napi_ok) return Fail(env, std::string("native-kernels: ") + name + " must be a boolean");
  return true;
}

bool GetFloat(napi_env env, napi_value v, const char *name, float *out) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) return Fail(env, std::string("native-kernels: ") + name + " must be a number");
  *out = static_cast<float>(d);
  return true;
}

// Base address and byte length of the memory a typed array views (ArrayBuffer or SharedArrayBuffer).
bool GetHeap(napi_env env, napi_value v, uint8_t **base, int64_t *bytes) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return Fail(env, "native-kernels: heap must be a typed array over the memory (e.g. the wasm HEAPU8)");
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (!Check(env, napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset), "cannot read the heap view"))
    return false;
  size_t element = 1;
  switch (type) {
    case napi_int16_array:
    case napi_uint16_array:
      element = 2;
      break;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      element = 4;
      break;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array:
      element = 8;
      break;
    default:
      element = 1;
  }
  if (data == nullptr && length > 0) return Fail(env, "native-kernels: the heap view has no data (detached buffer?)");
  *base = static_cast<uint8_t *>(data);
  *bytes = static_cast<int64_t>(length * element);
  return true;
}

// Checks that a row-major matrix of `rows` x `cols` with leading dimension `ld` at byte offset
// `off` (batch entries `count` apart by `stride` elements) lies inside the heap.
bool CheckMatrix(napi_env env, const char *name, int64_t off, int64_t rows, int64_t cols, int64_t ld, int64_t count,
                 int64_t stride, int64_t heap_bytes) {
  if (off % 4 != 0) return Fail(env, std::string("native-kernels: ") + name + " offset " + std::to_string(off) + " is not 4-byte aligned");
  if (ld < (cols > 0 ? cols : 1))
    return Fail(env, std::string("native-kernels: leading dimension of ") + name + " is " + std::to_string(ld) +
                         ", less than its " + std::to_string(cols) + " columns");
  if (rows == 0 || cols == 0 || count == 0) return true;
  const int64_t last = off + 4 * ((count - 1) * stride + (rows - 1) * ld + cols);
  if (last > heap_bytes)
    return Fail(env, std::string("native-kernels: ") + name + " ends at byte " + std::to_string(last) +
                         ", past the heap's " + std::to_string(heap_bytes) + " bytes");
  return true;
}

// sgemm(heap, transA, transB, m, n, k, alpha, aOff, lda, bOff, ldb, beta, cOff, ldc
//       [, batch, strideA, strideB, strideC])
// C[m,n] = alpha op(A) op(B) + beta C, op(A) [m,k], op(B) [k,n]; offsets in bytes from the start of
// the heap view, leading dimensions and batch strides in elements. With batch > 1 the product is
// repeated over batch entries (stride 0 reuses one operand for every entry).
napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 18;
  napi_value argv[18];
  if (!Check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "bad call")) return nullptr;
  if (argc != 14 && argc != 18) {
    Fail(env, "native-kernels: sgemm expects 14 arguments (18 with batch and strides), got " + std::to_string(argc));
    return nullptr;
  }
  uint8_t *base = nullptr;
  int64_t heap_bytes = 0;
  bool ta = false, tb = false;
  int64_t m, n, k, a_off, lda, b_off, ldb, c_off, ldc;
  float alpha = 0, beta = 0;
  int64_t batch = 1, sa = 0, sb = 0, sc = 0;
  if (!GetHeap(env, argv[0], &base, &heap_bytes) || !GetBool(env, argv[1], "transA", &ta) ||
      !GetBool(env, argv[2], "transB", &tb) || !GetInt(env, argv[3], "m", 0, &m) || !GetInt(env, argv[4], "n", 0, &n) ||
      !GetInt(env, argv[5], "k", 0, &k) || !GetFloat(env, argv[6], "alpha", &alpha) ||
      !GetInt(env, argv[7], "aOffset", 0, &a_off) || !GetInt(env, argv[8], "lda", 1, &lda) ||
      !GetInt(env, argv[9], "bOffset", 0, &b_off) || !GetInt(env, argv[10], "ldb", 1, &ldb) ||
      !GetFloat(env, argv[11], "beta", &beta) || !GetInt(env, argv[12], "cOffset", 0, &c_off) ||
      !GetInt(env, argv[13], "ldc", 1, &ldc))
    return nullptr;
  if (argc == 18 && (!GetInt(env, argv[14], "batch", 0, &batch) || !GetInt(env, argv[15], "strideA", 0, &sa) ||
                     !GetInt(env, argv[16], "strideB", 0, &sb) || !GetInt(env, argv[17], "strideC", 0, &sc)))
    return nullptr;
  const int64_t limit = 2147483647;
  if (m > limit || n > limit || k > limit || lda > limit || ldb > limit || ldc > limit) {
    Fail(env, "native-kernels: a dimension exceeds 2^31 - 1");
    return nullptr;
  }
  // Stored shapes: A is [m,k] ([k,m] when transposed), B is [k,n] ([n,k]), C is [m,n].
  if (!CheckMatrix(env, "A", a_off, ta ? k : m, ta ? m : k, lda, batch, sa, heap_bytes) ||
      !CheckMatrix(env, "B", b_off, tb ? n : k, tb ? k : n, ldb, batch, sb, heap_bytes) ||
      !CheckMatrix(env, "C", c_off, m, n, ldc, batch, sc, heap_bytes))
    return nullptr;
  if (batch > 1 && sc == 0 && m > 0 && n > 0) {
    Fail(env, "native-kernels: strideC 0 would write every batch entry to the same output");
    return nullptr;
  }
  if (m == 0 || n == 0) return nullptr;
  float *a = reinterpret_cast<float *>(base + a_off);
  float *b = reinterpret_cast<float *>(base + b_off);
  float *c = reinterpret_cast<float *>(base + c_off);
  for (int64_t i = 0; i < batch; i++) {
    if (k == 0) {
      // sgemm with k = 0 scales C by beta; keep that meaning.
      for (int64_t r = 0; r < m; r++)
        for (int64_t j = 0; j < n; j++) {
          float *p = c + i * sc + r * ldc + j;
          *p = beta == 0.0f ? 0.0f : beta * *p;
        }
      continue;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                static_cast<int>(n), static_cast<int>(k), alpha, a + i * sa, static_cast<int>(lda), b + i * sb,
                static_cast<int>(ldb), beta, c + i * sc, static_cast<int>(ldc));
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Element-wise and row kernels of the training step (the fused kernels of @ecode/model), on
// float32 arrays inside the heap. Loops are written so that gcc vectorizes them (no branches in
// the hot loops, polynomial exp instead of libm); results are deterministic for a given build.

// exp(x) for float: Cody-Waite range reduction and Cephes' degree-6 polynomial (max relative
// error ~2 ulp on [-87, 88]); inputs outside are clamped (exp(-87.3) ~ 1e-38, exp(88.7) ~ 3e38).
static inline float ExpF(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.7f ? 88.7f : x;
  // Round x / ln 2 to the nearest integer with the 1.5 * 2^23 trick (vectorizes without SSE4.1).
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  return e * scale;
}

// erf(x) from Numerical Recipes' erfc Chebyshev fit (|error| < 1.2e-7), with ExpF.
static inline float ErfF(float x) {
  const float z = x < 0 ? -x : x;
  const float t = 1.0f / (1.0f + 0.5f * z);
  const float poly =
      -z * z - 1.26551223f +
      t * (1.00002368f +
           t * (0.37409196f +
                t * (0.09678418f +
                     t * (-0.18628806f +
                          t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
  const float r = t * ExpF(poly);
  return x >= 0 ? 1.0f - r : r - 1.0f;
}

struct Args {
  napi_env env;
  size_t argc;
  napi_value argv[20];
  uint8_t *base = nullptr;
  int64_t heap_bytes = 0;
  bool ok = true;
};

// Reads the call's arguments: argv[0] is the heap; the rest are read by Int/Float/Array below.
static bool Begin(napi_env env, napi_callback_info info, Args *a, size_t want, const char *name) {
  a->env = env;
  a->argc = 20;
  if (!Check(env, napi_get_cb_info(env, info, &a->argc, a->argv, nullptr, nullptr), "bad call")) return false;
  if (a->argc != want)
    return Fail(env, std::string("native-kernels: ") + name + " expects " + std::to_string(want) + " arguments, got " +
                         std::to_string(a->argc));
  return GetHeap(env, a->argv[0], &a->base, &a->heap_bytes);
}

static int64_t Int(Args *a, size_t i, const char *name) {
  int64_t v = 0;
  if (a->ok && !GetInt(a->env, a->argv[i], name, 0, &v)) a->ok = false;
  return v;
}

static float Float(Args *a, size_t i, const char *name) {
  float v = 0;
  if (a->ok && !GetFloat(a->env, a->argv[i], name, &v)) a->ok = false;
  return v;
}

// A float32 (or int32) array of `count` elements at byte offset argv[i], inside the heap.
template <typename T>
static T *Array(Args *a, size_t i, const char *name, int64_t count) {
  const int64_t off = Int(a, i, name);
  if (!a->ok) return nullptr;
  if (off % 4 != 0) {
    a->ok = Fail(a->env, std::string("native-kernels: ") + name + " offset " + std::to_string(off) + " is not 4-byte aligned");
    return nullptr;
  }
  if (off + 4 * count > a->heap_bytes) {
    a->ok = Fail(a->env, std::string("native-kernels: ") + name + " (" + std::to_string(count) + " elements at byte " +
                             std::to_string(off) + ") runs past the heap's " + std::to_string(a->heap_bytes) + " bytes");
    return nullptr;
  }
  return reinterpret_cast<T *>(a->base + off);
}

constexpr float kGeluNewC = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kInvSqrt2Pi = 0.3989422804014327f;
constexpr float kSqrtHalf = 0.7071067811865476f;

// The loops, apart from argument handling so that gcc vectorizes them (restrict: outputs are
// fresh tensors, never aliasing an input). On x86-64 each is compiled twice, for AVX2 machines
// (x86-64-v3) and the SSE2 baseline, and picked at load time; floating-point contraction is off
// (binding.gyp), so both give the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ECODE_VECTOR __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define ECODE_VECTOR
#endif
ECODE_VECTOR static void GeluNewLoop(const float *__restrict x, float *__restrict y, float *__restrict t, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    const float u = kGeluNewC * (v + 0.044715f * v * v * v);
    // 0.5 (1 + tanh(u)) = sigmoid(2u): y = x sigmoid(2u) has no cancellation for negative x
    // (1 + tanh(u) would lose the digits as tanh(u) nears -1); t = 2 sigmoid(2u) - 1.
    const float sg = 1.0f / (1.0f + ExpF(-2.0f * u));
    t[i] = 2.0f * sg - 1.0f;
    y[i] = v * sg;
  }
}

ECODE_VECTOR static void GeluNewGradLoop(const float *__restrict x, const float *__restrict t, const float *__restrict dy,
                            float *__restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    const float th = t[i];
    dx[i] = dy[i] * (0.5f * (1.0f + th) + 0.5f * v * (1.0f - th * th) * kGeluNewC * (1.0f + 3.0f * 0.044715f * v * v));
  }
}

ECODE_VECTOR static void GeluLoop(const float *__restrict x, float *__restrict y, float *__restrict phi, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    const float p = 0.5f * (1.0f + ErfF(v * kSqrtHalf));
    phi[i] = p;
    y[i] = v * p;
  }
}

ECODE_VECTOR static void GeluGradLoop(const float *__restrict x, const float *__restrict phi, const float *__restrict dy,
                         float *__restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float v = x[i];
    dx[i] = dy[i] * (phi[i] + v * ExpF(-0.5f * v * v) * kInvSqrt2Pi);
  }
}

// The inputs may be the same array (they are only read); the outputs are fresh tensors.
ECODE_VECTOR static void AdamWLoop(const float *__restrict p, const float *__restrict m, const float *__restrict v,
                      const float *__restrict g, float *__restrict po, float *__restrict mo, float *__restrict vo,
                      int64_t n, float b1, float omb1, float b2, float omb2, float eps, float bc2, float neg_step,
                      float decay, float scale) {
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i] * scale;
    const float mi = m[i] * b1 + gi * omb1;
    const float vi = v[i] * b2 + (gi * gi) * omb2;
    mo[i] = mi;
    vo[i] = vi;
    po[i] = p[i] * decay + (mi / (std::sqrt(vi) / bc2 + eps)) * neg_step;
  }
}

// Inverted dropout from mulberry32 (the JS kernel's stream, the same bits). The stream's state
// after i + 1 steps is seed + (i + 1) * 0x6d2b79f5, so every element is computed on its own and
// the loop vectorizes; u = r / 2^32 < rate is the integer test r < ceil(rate * 2^32).
ECODE_VECTOR static void DropoutLoop(const float *__restrict x, float *__restrict y, float *__restrict s, int64_t n,
                                     double rate, uint32_t seed) {
  const double keep = 1.0 / (1.0 - rate);
  const float keep_f = static_cast<float>(keep);
  const uint64_t threshold = static_cast<uint64_t>(std::ceil(rate * 4294967296.0));
  for (int64_t i = 0; i < n; i++) {
    const uint32_t state = seed + static_cast<uint32_t>(i + 1) * 0x6d2b79f5u;
    uint32_t t = (state ^ (state >> 15)) * (state | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    const uint32_t r = t ^ (t >> 14);
    const bool drop = static_cast<uint64_t>(r) < threshold;
    s[i] = drop ? 0.0f : keep_f;
    // x * 0.0 keeps the sign of x (-0 for negative x), as the JS kernel's product does.
    y[i] = static_cast<float>(static_cast<double>(x[i]) * (drop ? 0.0 : keep));
  }
}

// geluNew(heap, x, y, t, n): t = tanh(c (x + 0.044715 x^3)), y = 0.5 x (1 + t).
napi_value GeluNew(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 5, "geluNew")) return nullptr;
  const int64_t n = Int(&a, 4, "n");
  const float *x = Array<float>(&a, 1, "x", n);
  float *y = Array<float>(&a, 2, "y", n);
  float *t = Array<float>(&a, 3, "t", n);
  if (a.ok) GeluNewLoop(x, y, t, n);
  return nullptr;
}

// geluNewGrad(heap, x, t, dy, dx, n).
napi_value GeluNewGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 6, "geluNewGrad")) return nullptr;
  const int64_t n = Int(&a, 5, "n");
  const float *x = Array<float>(&a, 1, "x", n);
  const float *t = Array<float>(&a, 2, "t", n);
  const float *dy = Array<float>(&a, 3, "dy", n);
  float *dx = Array<float>(&a, 4, "dx", n);
  if (a.ok) GeluNewGradLoop(x, t, dy, dx, n);
  return nullptr;
}

// gelu(heap, x, y, phi, n): phi = Phi(x) (standard normal CDF), y = x phi.
napi_value Gelu(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 5, "gelu")) return nullptr;
  const int64_t n = Int(&a, 4, "n");
  const float *x = Array<float>(&a, 1, "x", n);
  float *y = Array<float>(&a, 2, "y", n);
  float *phi = Array<float>(&a, 3, "phi", n);
  if (a.ok) GeluLoop(x, y, phi, n);
  return nullptr;
}

// geluGrad(heap, x, phi, dy, dx, n): dx = dy (phi + x pdf(x)).
napi_value GeluGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 6, "geluGrad")) return nullptr;
  const int64_t n = Int(&a, 5, "n");
  const float *x = Array<float>(&a, 1, "x", n);
  const float *phi = Array<float>(&a, 2, "phi", n);
  const float *dy = Array<float>(&a, 3, "dy", n);
  float *dx = Array<float>(&a, 4, "dx", n);
  if (a.ok) GeluGradLoop(x, phi, dy, dx, n);
  return nullptr;
}

// layerNorm(heap, x, gamma, beta, y, xhat, rstd, rows, d, eps): mean and variance in double.
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 10, "layerNorm")) return nullptr;
  const int64_t rows = Int(&a, 7, "rows");
  const int64_t d = Int(&a, 8, "d");
  const float eps = Float(&a, 9, "eps");
  const float *x = Array<float>(&a, 1, "x", rows * d);
  const float *g = Array<float>(&a, 2, "gamma", d);
  const float *b = Array<float>(&a, 3, "beta", d);
  float *y = Array<float>(&a, 4, "y", rows * d);
  float *xh = Array<float>(&a, 5, "xhat", rows * d);
  float *rs = Array<float>(&a, 6, "rstd", rows);
  if (!a.ok || d == 0) return nullptr;
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * d;
    double sum = 0;
    for (int64_t j = 0; j < d; j++) sum += xr[j];
    const double mean = sum / static_cast<double>(d);
    double var = 0;
    for (int64_t j = 0; j < d; j++) {
      const double c = xr[j] - mean;
      var += c * c;
    }
    const double rstd = 1.0 / std::sqrt(var / static_cast<double>(d) + static_cast<double>(eps));
    rs[r] = static_cast<float>(rstd);
    const float m = static_cast<float>(mean);
    const float s = static_cast<float>(rstd);
    float *yr = y + r * d;
    float *hr = xh + r * d;
    for (int64_t j = 0; j < d; j++) {
      const float h = (xr[j] - m) * s;
      hr[j] = h;
      yr[j] = h * g[j] + b[j];
    }
  }
  return nullptr;
}

// layerNormGrad(heap, xhat, rstd, gamma, dy, dx, dgamma, dbeta, rows, d).
napi_value LayerNormGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 10, "layerNormGrad")) return nullptr;
  const int64_t rows = Int(&a, 8, "rows");
  const int64_t d = Int(&a, 9, "d");
  const float *xh = Array<float>(&a, 1, "xhat", rows * d);
  const float *rs = Array<float>(&a, 2, "rstd", rows);
  const float *g = Array<float>(&a, 3, "gamma", d);
  const float *dy = Array<float>(&a, 4, "dy", rows * d);
  float *dx = Array<float>(&a, 5, "dx", rows * d);
  float *dg = Array<float>(&a, 6, "dgamma", d);
  float *db = Array<float>(&a, 7, "dbeta", d);
  if (!a.ok || d == 0) return nullptr;
  std::vector<double> acc_g(d, 0.0), acc_b(d, 0.0);
  for (int64_t r = 0; r < rows; r++) {
    const float *hr = xh + r * d;
    const float *dyr = dy + r * d;
    double m1 = 0, m2 = 0;
    for (int64_t j = 0; j < d; j++) {
      const float dh = dyr[j] * g[j];
      m1 += dh;
      m2 += static_cast<double>(dh) * hr[j];
      acc_g[j] += static_cast<double>(dyr[j]) * hr[j];
      acc_b[j] += dyr[j];
    }
    const float f1 = static_cast<float>(m1 / static_cast<double>(d));
    const float f2 = static_cast<float>(m2 / static_cast<double>(d));
    const float s = rs[r];
    float *dxr = dx + r * d;
    for (int64_t j = 0; j < d; j++) dxr[j] = s * (dyr[j] * g[j] - f1 - hr[j] * f2);
  }
  for (int64_t j = 0; j < d; j++) {
    dg[j] = static_cast<float>(acc_g[j]);
    db[j] = static_cast<float>(acc_b[j]);
  }
  return nullptr;
}

// columnSum(heap, x, out, rows, d): out[j] = sum_r x[r, j] (double accumulators).
napi_value ColumnSum(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 5, "columnSum")) return nullptr;
  const int64_t rows = Int(&a, 3, "rows");
  const int64_t d = Int(&a, 4, "d");
  const float *x = Array<float>(&a, 1, "x", rows * d);
  float *out = Array<float>(&a, 2, "out", d);
  if (!a.ok) return nullptr;
  std::vector<double> acc(d, 0.0);
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * d;
    for (int64_t j = 0; j < d; j++) acc[j] += xr[j];
  }
  for (int64_t j = 0; j < d; j++) out[j] = static_cast<float>(acc[j]);
  return nullptr;
}

// addMask(heap, scores, mask, out, batch, heads, tq, tk, maskRows): out = scores + mask, the mask
// [batch, 1, maskRows, tk] broadcast over heads (and over queries when maskRows is 1).
napi_value AddMask(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 9, "addMask")) return nullptr;
  const int64_t bs = Int(&a, 4, "batch"), h = Int(&a, 5, "heads"), tq = Int(&a, 6, "tq"), tk = Int(&a, 7, "tk"),
                mq = Int(&a, 8, "maskRows");
  if (a.ok && mq != 1 && mq != tq) {
    Fail(env, "native-kernels: addMask maskRows must be 1 or tq");
    return nullptr;
  }
  const float *s = Array<float>(&a, 1, "scores", bs * h * tq * tk);
  const float *m = Array<float>(&a, 2, "mask", bs * mq * tk);
  float *o = Array<float>(&a, 3, "out", bs * h * tq * tk);
  if (!a.ok) return nullptr;
  for (int64_t i = 0; i < bs; i++)
    for (int64_t hh = 0; hh < h; hh++)
      for (int64_t q = 0; q < tq; q++) {
        const int64_t so = ((i * h + hh) * tq + q) * tk;
        const float *mr = m + (i * mq + (mq == 1 ? 0 : q)) * tk;
        for (int64_t k = 0; k < tk; k++) o[so + k] = s[so + k] + mr[k];
      }
  return nullptr;
}

// softmaxGrad(heap, y, dy, out, rows, d): out = y (dy - sum(dy y)) per row.
napi_value SoftmaxGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 6, "softmaxGrad")) return nullptr;
  const int64_t rows = Int(&a, 4, "rows");
  const int64_t d = Int(&a, 5, "d");
  const float *y = Array<float>(&a, 1, "y", rows * d);
  const float *dy = Array<float>(&a, 2, "dy", rows * d);
  float *o = Array<float>(&a, 3, "out", rows * d);
  if (!a.ok) return nullptr;
  for (int64_t r = 0; r < rows; r++) {
    const float *yr = y + r * d;
    const float *dr = dy + r * d;
    // Eight partial sums in a fixed order: vectorizes, and the same bits on every run.
    double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t j = 0;
    for (; j + 8 <= d; j += 8)
      for (int l = 0; l < 8; l++) part[l] += static_cast<double>(dr[j + l]) * yr[j + l];
    for (; j < d; j++) part[0] += static_cast<double>(dr[j]) * yr[j];
    const float sum = static_cast<float>(((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7])));
    float *orow = o + r * d;
    for (int64_t k = 0; k < d; k++) orow[k] = yr[k] * (dr[k] - sum);
  }
  return nullptr;
}

// dropout(heap, x, y, s, n, rate, seed): the seeded mulberry32 stream of @ecode/model's JS
// kernel (the same bits): s = 0 or 1/(1-rate), y = x s (rounded from double, as JS does).
napi_value Dropout(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 7, "dropout")) return nullptr;
  const int64_t n = Int(&a, 4, "n");
  double rate = 0;
  if (napi_get_value_double(env, a.argv[5], &rate) != napi_ok || !(rate >= 0 && rate < 1)) {
    Fail(env, "native-kernels: dropout rate must be a number in [0, 1)");
    return nullptr;
  }
  const int64_t seed = Int(&a, 6, "seed");
  const float *x = Array<float>(&a, 1, "x", n);
  float *y = Array<float>(&a, 2, "y", n);
  float *s = Array<float>(&a, 3, "s", n);
  if (!a.ok) return nullptr;
  DropoutLoop(x, y, s, n, rate, static_cast<uint32_t>(seed));
  return nullptr;
}

// xentGrad(heap, probs, targets, mask, dy, out, n, v): (softmax - onehot) * mask * dy per row.
napi_value XentGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 8, "xentGrad")) return nullptr;
  const int64_t n = Int(&a, 6, "n");
  const int64_t v = Int(&a, 7, "v");
  const float *p = Array<float>(&a, 1, "probs", n * v);
  const int32_t *t = Array<int32_t>(&a, 2, "targets", n);
  const float *m = Array<float>(&a, 3, "mask", n);
  const float *dy = Array<float>(&a, 4, "dy", n);
  float *o = Array<float>(&a, 5, "out", n * v);
  if (!a.ok) return nullptr;
  for (int64_t r = 0; r < n; r++) {
    // JS multiplies in double and rounds once; so does this.
    const double scale = static_cast<double>(m[r]) * static_cast<double>(dy[r]);
    const float *pr = p + r * v;
    float *orow = o + r * v;
    if (scale == 0) {
      for (int64_t j = 0; j < v; j++) orow[j] = 0.0f;
      continue;
    }
    for (int64_t j = 0; j < v; j++) orow[j] = static_cast<float>(static_cast<double>(pr[j]) * scale);
    if (t[r] >= 0 && t[r] < v) orow[t[r]] = static_cast<float>(static_cast<double>(orow[t[r]]) - scale);
  }
  return nullptr;
}

// adamw(heap, p, m, v, g, pOut, mOut, vOut, n, b1, oneMinusB1, b2, oneMinusB2, eps, bc2, negStep,
//       decay, gradScale):
// PyTorch's AdamW step in float32, one pass: g' = g scale, m' = b1 m + (1-b1) g',
// v' = b2 v + (1-b2) g'^2, p' = p decay + negStep m' / (sqrt(v') / bc2 + eps).
napi_value AdamW(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 18, "adamw")) return nullptr;
  const int64_t n = Int(&a, 8, "n");
  const float b1 = Float(&a, 9, "b1"), omb1 = Float(&a, 10, "oneMinusB1"), b2 = Float(&a, 11, "b2"),
              omb2 = Float(&a, 12, "oneMinusB2"), eps = Float(&a, 13, "eps"), bc2 = Float(&a, 14, "bc2"),
              neg_step = Float(&a, 15, "negStep"), decay = Float(&a, 16, "decay"), scale = Float(&a, 17, "gradScale");
  const float *p = Array<float>(&a, 1, "p", n);
  const float *m = Array<float>(&a, 2, "m", n);
  const float *v = Array<float>(&a, 3, "v", n);
  const float *g = Array<float>(&a, 4, "g", n);
  float *po = Array<float>(&a, 5, "pOut", n);
  float *mo = Array<float>(&a, 6, "mOut", n);
  float *vo = Array<float>(&a, 7, "vOut", n);
  if (a.ok) AdamWLoop(p, m, v, g, po, mo, vo, n, b1, omb1, b2, omb2, eps, bc2, neg_step, decay, scale);
  return nullptr;
}

// sumSquares(heap, x, n) -> the sum of x[i]^2 in double (eight partial sums in a fixed order).
napi_value SumSquares(napi_env env, napi_callback_info info) {
  Args a;
  if (!Begin(env, info, &a, 3, "sumSquares")) return nullptr;
  const int64_t n = Int(&a, 2, "n");
  const float *x = Array<float>(&a, 1, "x", n);
  if (!a.ok) return nullptr;
  double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; l++) part[l] += static_cast<double>(x[i + l]) * x[i + l];
  for (; i < n; i++) part[0] += static_cast<double>(x[i]) * x[i];
  const double sum = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  napi_value out;
  napi_create_double(env, sum, &out);
  return out;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (!Check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "bad call")) return nullptr;
  int64_t n = 0;
  if (argc != 1 || !GetInt(env, argv[0], "threads", 1, &n)) return nullptr;
  if (n > 256) {
    Fail(env, "native-kernels: threads must be at most 256, got " + std::to_string(n));
    return nullptr;
  }
  openblas_set_num_threads(static_cast<int>(n));
  return nullptr;
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value out;
  napi_create_int32(env, openblas_get_num_threads(), &out);
  return out;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, core, config;
  napi_create_object(env, &obj);
  const char *corename = openblas_get_corename();
  const char *cfg = openblas_get_config();
  napi_create_string_utf8(env, corename ? corename : "unknown", NAPI_AUTO_LENGTH, &core);
  napi_create_string_utf8(env, cfg ? cfg : "unknown", NAPI_AUTO_LENGTH, &config);
  napi_set_named_property(env, obj, "corename", core);
  napi_set_named_property(env, obj, "config", config);
  return obj;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"sgemm", nullptr, Sgemm, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"getThreads", nullptr, GetThreads, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"geluNew", nullptr, GeluNew, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"geluNewGrad", nullptr, GeluNewGrad, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"gelu", nullptr, Gelu, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"geluGrad", nullptr, GeluGrad, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"layerNorm", nullptr, LayerNorm, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"layerNormGrad", nullptr, LayerNormGrad, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"columnSum", nullptr, ColumnSum, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"addMask", nullptr, AddMask, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"softmaxGrad", nullptr, SoftmaxGrad, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"dropout", nullptr, Dropout, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"xentGrad", nullptr, XentGrad, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"adamw", nullptr, AdamW, nullptr, nullptr, nullptr, napi_default_method, nullptr},
      {"sumSquares", nullptr, SumSquares, nullptr, nullptr, nullptr, napi_default_method, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
