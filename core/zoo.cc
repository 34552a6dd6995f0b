// Built-in model zoo (core/zoo.h), written from the public architecture definitions: torchvision
// (torchvision/models/*.py) for the CNNs, the papers / reference configs for the others. Batch 1,
// 224x224 RGB inputs for the CNNs, real strides, paddings and groups, classifier layers included.
// Pooling, batch-norm, activations, residual additions, softmax, layer norm and embedding lookups
// perform no MACs in our sense and are left out (pooling only changes the feature-map size).
// Layer names follow the torchvision module paths where there is one.
#include "core/zoo.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>

namespace af {

namespace {

struct Shape {
  int64_t c, h, w;
};

Layer must(Expected<Layer> layer) {
  if (!layer.ok()) {
    // A zoo entry that does not build is a bug in this file, caught by core_zoo_test.
    std::fprintf(stderr, "zoo: invalid built-in layer: %s\n", layer.status().message().c_str());
    std::abort();
  }
  return std::move(layer).value();
}

class Net {
 public:
  explicit Net(std::string name) { wl_.name = std::move(name); }

  // nn.Conv2d(in.c, out, k, stride, pad, groups): appends the layer, returns the output shape.
  Shape conv(const std::string& name, Shape in, int64_t out, int64_t k, int64_t stride,
             int64_t pad, int64_t groups = 1) {
    Layer l = must(make_conv(name, 1, groups, out / groups, in.c / groups, in.h, in.w, k, k,
                             stride, stride, pad, pad));
    const Shape o{out, l[Dim::Y], l[Dim::X]};
    wl_.layers.push_back(std::move(l));
    return o;
  }
  // Depthwise nn.Conv2d(c, c, k, stride, pad, groups=c).
  Shape dw(const std::string& name, Shape in, int64_t k, int64_t stride, int64_t pad) {
    Layer l = must(make_depthwise(name, 1, in.c, in.h, in.w, k, k, stride, pad));
    const Shape o{in.c, l[Dim::Y], l[Dim::X]};
    wl_.layers.push_back(std::move(l));
    return o;
  }
  // nn.Linear(in, out).
  void fc(const std::string& name, int64_t out, int64_t in) {
    wl_.layers.push_back(must(make_fc(name, out, in, 1)));
  }
  // nn.MaxPool2d / AvgPool2d (floor mode): shape only.
  static Shape pool(Shape in, int64_t k, int64_t stride, int64_t pad) {
    return {in.c, (in.h + 2 * pad - k) / stride + 1, (in.w + 2 * pad - k) / stride + 1};
  }
  void gemm(const std::string& name, int64_t m, int64_t n, int64_t k, int64_t batch = 1) {
    wl_.layers.push_back(must(make_gemm(name, m, n, k, batch)));
  }
  Workload take() { return std::move(wl_); }

 private:
  Workload wl_;
};

const Shape kImageNet{3, 224, 224};

// torchvision resnet.py: BasicBlock (expansion 1) / Bottleneck (expansion 4, stride on the 3x3,
// "ResNet V1.5"), downsample = 1x1 conv with the block's stride when the shape changes.
Workload resnet(const std::string& name, bool bottleneck, const int (&blocks)[4],
                int64_t groups = 1, int64_t width_per_group = 64) {
  Net net(name);
  Shape x = net.conv("conv1", kImageNet, 64, 7, 2, 3);
  x = Net::pool(x, 3, 2, 1);  // maxpool
  const int64_t expansion = bottleneck ? 4 : 1;
  for (int i = 0; i < 4; ++i) {
    const int64_t planes = 64 << i;
    for (int b = 0; b < blocks[i]; ++b) {
      const int64_t stride = (b == 0 && i > 0) ? 2 : 1;
      const std::string p = "layer" + std::to_string(i + 1) + "." + std::to_string(b) + ".";
      const Shape in = x;
      if (bottleneck) {
        const int64_t width = planes * width_per_group / 64 * groups;
        x = net.conv(p + "conv1", x, width, 1, 1, 0);
        x = net.conv(p + "conv2", x, width, 3, stride, 1, groups);
        x = net.conv(p + "conv3", x, planes * expansion, 1, 1, 0);
      } else {
        x = net.conv(p + "conv1", x, planes, 3, stride, 1);
        x = net.conv(p + "conv2", x, planes, 3, 1, 1);
      }
      if (stride != 1 || in.c != planes * expansion) {
        net.conv(p + "downsample.0", in, planes * expansion, 1, stride, 0);
      }
    }
  }
  net.fc("fc", 1000, 512 * expansion);  // after the global average pool
  return net.take();
}

// torchvision vgg.py, configuration "D" (VGG-16, no batch norm).
Workload vgg16() {
  Net net("vgg16");
  const int cfg[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
  Shape x = kImageNet;
  int index = 0;  // torchvision's features.<index> (conv, relu, ..., maxpool)
  for (int v : cfg) {
    if (v == 0) {
      x = Net::pool(x, 2, 2, 0);
      index += 1;
    } else {
      x = net.conv("features." + std::to_string(index), x, v, 3, 1, 1);
      index += 2;
    }
  }
  // AdaptiveAvgPool2d((7, 7)) is the identity at 224x224; classifier: Linear, ReLU, Dropout, ...
  net.fc("classifier.0", 4096, 512 * 7 * 7);
  net.fc("classifier.3", 4096, 4096);
  net.fc("classifier.6", 1000, 4096);
  return net.take();
}

// torchvision mobilenetv2.py (width 1.0): stem 3x3/2 to 32, inverted residuals (t, c, n, s),
// 1x1 to 1280, Linear(1280, 1000). Expansion 1x1 only when t != 1.
Workload mobilenet_v2() {
  Net net("mobilenet_v2");
  Shape x = net.conv("features.0", kImageNet, 32, 3, 2, 1);
  const int setting[][4] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                            {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
  int feature = 1;
  for (const auto& st : setting) {
    const int64_t t = st[0], c = st[1], n = st[2], s = st[3];
    for (int64_t i = 0; i < n; ++i, ++feature) {
      const std::string p = "features." + std::to_string(feature) + ".";
      const int64_t stride = i == 0 ? s : 1;
      if (t != 1) x = net.conv(p + "expand", x, x.c * t, 1, 1, 0);
      x = net.dw(p + "dw", x, 3, stride, 1);
      x = net.conv(p + "project", x, c, 1, 1, 0);
    }
  }
  x = net.conv("features.18", x, 1280, 1, 1, 0);
  net.fc("classifier.1", 1000, 1280);
  return net.take();
}

// torchvision mnasnet.py, mnasnet1_0 (alpha 1.0, depths 32 16 24 40 80 96 192 320): stem conv,
// separable conv, six stacks of inverted residuals (in, out, kernel, stride, expansion, repeats),
// 1x1 to 1280, Linear(1280, 1000). torchvision's MNASNet has no squeeze-excite blocks.
Workload mnasnet() {
  Net net("mnasnet");
  Shape x = net.conv("layers.0", kImageNet, 32, 3, 2, 1);
  x = net.dw("layers.3", x, 3, 1, 1);
  x = net.conv("layers.6", x, 16, 1, 1, 0);
  const int stacks[][5] = {{24, 3, 2, 3, 3},  {40, 5, 2, 3, 3}, {80, 5, 2, 6, 3},
                           {96, 3, 1, 6, 2},  {192, 5, 2, 6, 4}, {320, 3, 1, 6, 1}};
  int module = 8;  // layers.8 .. layers.13
  for (const auto& st : stacks) {
    const int64_t out = st[0], k = st[1], s = st[2], t = st[3], repeats = st[4];
    for (int64_t i = 0; i < repeats; ++i) {
      const std::string p = "layers." + std::to_string(module) + "." + std::to_string(i) + ".";
      x = net.conv(p + "expand", x, x.c * t, 1, 1, 0);
      x = net.dw(p + "dw", x, k, i == 0 ? s : 1, k / 2);
      x = net.conv(p + "project", x, out, 1, 1, 0);
    }
    ++module;
  }
  x = net.conv("layers.14", x, 1280, 1, 1, 0);
  net.fc("classifier.1", 1000, 1280);
  return net.take();
}

// One BERT-base encoder layer (Devlin et al. 2019: hidden 768, 12 heads of 64, FFN 3072) at
// sequence length 512. GEMM m x n x k = (rows, cols, reduction); attention per head is a batched
// GEMM with the 12 heads as the batch dimension N.
Workload bert() {
  constexpr int64_t seq = 512, hidden = 768, heads = 12, head_dim = 64, ffn = 3072;
  Net net("bert");
  net.gemm("attention.query", seq, hidden, hidden);
  net.gemm("attention.key", seq, hidden, hidden);
  net.gemm("attention.value", seq, hidden, hidden);
  net.gemm("attention.scores", seq, seq, head_dim, heads);   // Q K^T per head
  net.gemm("attention.context", seq, head_dim, seq, heads);  // softmax(QK^T) V per head
  net.gemm("attention.output", seq, hidden, hidden);
  net.gemm("intermediate", seq, ffn, hidden);
  net.gemm("output", seq, hidden, ffn);
  return net.take();
}

// DLRM, RMC1 class, following DeepRecSys (Gupta et al., ISCA 2020), harvard-acc/DeepRecSys
// models/configs/dlrm_rm1.json: arch_mlp_bot "128-64-32", arch_mlp_top "256-64-1", 8 embedding
// tables of dimension 32, interaction "cat". In the DLRM code (dlrm_s_caffe2.py) the first number
// of the bottom MLP is the dense input width, and the top MLP's input is the concatenation of
// the 8 pooled embeddings and the bottom output: (8 + 1) * 32 = 288. Embedding lookups do no MACs.
Workload dlrm() {
  Net net("dlrm");
  net.fc("bot.0", 64, 128);
  net.fc("bot.1", 32, 64);
  net.fc("top.0", 256, (8 + 1) * 32);
  net.fc("top.1", 64, 256);
  net.fc("top.2", 1, 64);
  return net.take();
}

// NCF / NeuMF (He et al., WWW 2017) as in the MLPerf Training v0.5 reference
// (recommendation/pytorch, neumf.py: mlp_layer_sizes 256 256 128 64, mf_dim 64): the MLP tower on
// the concatenated user and item embeddings (128 + 128), then the NeuMF prediction layer on
// [GMF output (64), MLP output (64)]. The GMF branch is an element-wise product (no MACs).
Workload ncf() {
  Net net("ncf");
  net.fc("mlp.0", 256, 256);
  net.fc("mlp.1", 128, 256);
  net.fc("mlp.2", 64, 128);
  net.fc("final", 1, 64 + 64);
  return net.take();
}

struct Entry {
  const char* name;
  std::function<Workload()> build;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {"resnet18", [] { return resnet("resnet18", false, {2, 2, 2, 2}); }},
      {"resnet50", [] { return resnet("resnet50", true, {3, 4, 6, 3}); }},
      {"resnext50_32x4d", [] { return resnet("resnext50_32x4d", true, {3, 4, 6, 3}, 32, 4); }},
      {"mobilenet_v2", mobilenet_v2},
      {"mnasnet", mnasnet},
      {"vgg16", vgg16},
      {"bert", bert},
      {"dlrm", dlrm},
      {"ncf", ncf},
  };
  return kEntries;
}

}  // namespace

std::vector<std::string> zoo_names() {
  std::vector<std::string> names;
  for (const Entry& e : entries()) names.emplace_back(e.name);
  return names;
}

std::optional<Workload> zoo_model(const std::string& name) {
  for (const Entry& e : entries()) {
    if (name == e.name) return e.build();
  }
  return std::nullopt;
}

}  // namespace af
