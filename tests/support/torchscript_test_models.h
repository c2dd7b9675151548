// TorchScript predictors built in C++ as torch.jit.script(nn.Sequential(...)) would give them:
// named children that run in order, so post-hoc FLINT can read any of them by name. Shared by
// the core and the GUI tests (tests may include torch; ui/ may not).
#pragma once
#include "core/torch_include.h"

#include <string>

namespace senn::testing {

// A parameter-free child: forward(x) = body.
inline torch::jit::Module layer(const std::string& type, const std::string& body)
{
    torch::jit::Module m(type);
    m.define("def forward(self, x):\n    return " + body + "\n");
    return m;
}

// A child with parameters `weight` and `bias`.
inline torch::jit::Module withParams(const std::string& type, const std::string& body, torch::Tensor w,
                                     torch::Tensor b)
{
    torch::jit::Module m(type);
    m.register_parameter("weight", w.set_requires_grad(true), false);
    m.register_parameter("bias", b.set_requires_grad(true), false);
    m.define("def forward(self, x):\n    return " + body + "\n");
    return m;
}

inline torch::jit::Module linear(const std::string& type, int64_t in, int64_t out, double scale)
{
    return withParams(type, "torch.matmul(x, self.weight.t()) + self.bias", torch::randn({out, in}) * scale,
                      torch::zeros({out}));
}

// conv 1->8 (3x3, pad 1) -> relu -> maxpool 2 -> flatten -> linear 1568->10 (28x28 digits).
inline torch::jit::Module makeCnn()
{
    torch::manual_seed(11);
    torch::jit::Module net("SeqCnn");
    net.register_module("conv", withParams("Conv", "torch.conv2d(x, self.weight, self.bias, [1, 1], [1, 1])",
                                           torch::randn({8, 1, 3, 3}) * 0.3, torch::zeros({8})));
    net.register_module("relu", layer("Relu", "torch.relu(x)"));
    net.register_module("pool", layer("Pool", "torch.max_pool2d(x, [2, 2])"));
    net.register_module("flatten", layer("Flatten", "torch.flatten(x, 1)"));
    net.register_module("fc", linear("Fc", 8 * 14 * 14, 10, 0.01));
    net.define(R"(
def forward(self, x):
    return self.fc.forward(self.flatten.forward(self.pool.forward(self.relu.forward(self.conv.forward(x)))))
)");
    return net;
}

// fc1 d->hidden -> relu -> fc2 hidden->classes, on raw tabular rows.
inline torch::jit::Module makeMlp(int64_t d, int64_t hidden, int64_t classes)
{
    torch::manual_seed(12);
    torch::jit::Module net("SeqMlp");
    net.register_module("fc1", linear("Fc1", d, hidden, 0.05));
    net.register_module("relu", layer("Relu", "torch.relu(x)"));
    net.register_module("fc2", linear("Fc2", hidden, classes, 0.3));
    net.define(R"(
def forward(self, x):
    return self.fc2.forward(self.relu.forward(self.fc1.forward(x)))
)");
    return net;
}

} // namespace senn::testing
