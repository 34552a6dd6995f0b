// Tiling arithmetic: geometry of a mapping and tile/step volumes (see tiling.h).
#include "costmodel/tiling.h"

namespace af::model {

Geometry make_geometry(const Layer& layer, const HwConfig& hw, const Mapping& mapping) {
  Geometry g;
  g.extent = layer.dims;
  g.t2 = mapping.l2.tile;
  g.t1 = mapping.l1.tile;
  g.o2 = mapping.l2.order;
  g.o1 = mapping.l1.order;
  g.sy = layer.stride_y;
  g.sx = layer.stride_x;
  for (int d = 0; d < kNumDims; ++d) {
    int64_t mult = 1;
    if (d == idx(hw.row_dim)) mult = hw.rows;
    if (d == idx(hw.col_dim)) mult = hw.cols;
    g.spatial[d] = mult > 1 || d == idx(hw.row_dim) || d == idx(hw.col_dim);
    g.step[d] = g.t1[d] * mult;
  }
  return g;
}

namespace {

// Sum over the distinct PE tiles along one axis of the input's row (or column) footprint
// (y-1)*s + r, where y and r may each be split over an array axis:
//   sum_{p,q} ((y_p - 1)*s + r_q) = s*(Y - cntY)*cntR + cntY*R
// with Y, R the summed extents and cntY, cntR the number of distinct PE tiles along each.
int64_t window_sum(int64_t stride, int64_t out_sum, int64_t out_cnt, int64_t filt_sum,
                   int64_t filt_cnt) {
  return stride * (out_sum - out_cnt) * filt_cnt + out_cnt * filt_sum;
}

}  // namespace

int64_t step_volume(const Geometry& g, Tensor t, const DimArray& x) {
  switch (t) {
    case Tensor::W:
      return x[idx(Dim::G)] * x[idx(Dim::K)] * x[idx(Dim::C)] * x[idx(Dim::R)] * x[idx(Dim::S)];
    case Tensor::O:
      return x[idx(Dim::N)] * x[idx(Dim::G)] * x[idx(Dim::K)] * x[idx(Dim::Y)] * x[idx(Dim::X)];
    case Tensor::I: {
      const int y = idx(Dim::Y), r = idx(Dim::R), xx = idx(Dim::X), s = idx(Dim::S);
      const int64_t rows = window_sum(g.sy, x[y], active_pes(g, y, x[y]), x[r],
                                      active_pes(g, r, x[r]));
      const int64_t cols = window_sum(g.sx, x[xx], active_pes(g, xx, x[xx]), x[s],
                                      active_pes(g, s, x[s]));
      return x[idx(Dim::N)] * x[idx(Dim::G)] * x[idx(Dim::C)] * rows * cols;
    }
  }
  return 0;
}

int64_t tile_volume(const Geometry& g, Tensor t, const DimArray& x) {
  if (t != Tensor::I) return step_volume(g, t, x);
  const int64_t rows = (x[idx(Dim::Y)] - 1) * g.sy + x[idx(Dim::R)];
  const int64_t cols = (x[idx(Dim::X)] - 1) * g.sx + x[idx(Dim::S)];
  return x[idx(Dim::N)] * x[idx(Dim::G)] * x[idx(Dim::C)] * rows * cols;
}

}  // namespace af::model
