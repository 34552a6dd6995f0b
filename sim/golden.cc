// Golden reference (see golden.h). Deliberately the plain seven-deep loop nest.
#include "sim/golden.h"

namespace af::sim {
namespace {

// SplitMix64: a tiny, fully specified generator (std distributions differ between libraries).
struct SplitMix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int8_t byte() { return static_cast<int8_t>(static_cast<uint8_t>(next() >> 56)); }
};

}  // namespace

LayerData make_layer_data(const Layer& l, uint64_t seed) {
  LayerData d;
  SplitMix rng{seed * 0xD1B54A32D192ED03ull + 0x8BB84B93962EACC9ull};
  d.weights.resize(static_cast<size_t>(l.tensor_words(Tensor::W)));
  for (int8_t& w : d.weights) w = rng.byte();
  const int64_t N = l[Dim::N], G = l[Dim::G], C = l[Dim::C];
  const int64_t Hp = l.padded_h(), Wp = l.padded_w();
  const int64_t H = l.input_h(), W = l.input_w();
  d.inputs.assign(static_cast<size_t>(N * G * C * Hp * Wp), 0);
  size_t i = 0;
  for (int64_t n = 0; n < N * G * C; ++n) {
    for (int64_t h = 0; h < Hp; ++h) {
      for (int64_t w = 0; w < Wp; ++w, ++i) {
        const int8_t v = rng.byte();  // drawn for every position: data independent of padding
        const int64_t ih = h - l.pad_y, iw = w - l.pad_x;
        if (ih >= 0 && ih < H && iw >= 0 && iw < W) d.inputs[i] = v;
      }
    }
  }
  return d;
}

std::vector<int32_t> golden_conv(const Layer& l, const LayerData& d) {
  const int64_t N = l[Dim::N], G = l[Dim::G], K = l[Dim::K], C = l[Dim::C], Y = l[Dim::Y],
                X = l[Dim::X], R = l[Dim::R], S = l[Dim::S];
  const int64_t Hp = l.padded_h(), Wp = l.padded_w();
  std::vector<int32_t> out(static_cast<size_t>(N * G * K * Y * X));
  size_t o = 0;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t g = 0; g < G; ++g)
      for (int64_t k = 0; k < K; ++k)
        for (int64_t y = 0; y < Y; ++y)
          for (int64_t x = 0; x < X; ++x, ++o) {
            uint32_t acc = 0;  // wrap-around accumulation
            for (int64_t c = 0; c < C; ++c)
              for (int64_t r = 0; r < R; ++r)
                for (int64_t s = 0; s < S; ++s) {
                  const int32_t w = d.weights[static_cast<size_t>((((g * K + k) * C + c) * R + r) * S + s)];
                  const int64_t h = y * l.stride_y + r, ww = x * l.stride_x + s;
                  const int32_t in =
                      d.inputs[static_cast<size_t>((((n * G + g) * C + c) * Hp + h) * Wp + ww)];
                  acc += static_cast<uint32_t>(w * in);
                }
            out[o] = static_cast<int32_t>(acc);
          }
  return out;
}

}  // namespace af::sim
