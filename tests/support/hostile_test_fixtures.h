// Pieces shared by the hostile-model tests: a small random table, a scripted TorchScript model
// over a weight, a module's archive bytes, writing bytes to a file, little-endian fields for
// hand-built zips, and the senn::Error text of a call (tests may include torch; ui/ may not).
#pragma once
#include "core/torch_include.h"

#include "core/common/error.h"
#include "core/data/dataset.h"

#include <QtTest>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace senn::testing {

// n rows of d standard-normal features; the class is whether the first feature is positive.
inline data::Dataset table(int64_t n, int64_t d)
{
    data::Dataset ds;
    ds.sampleShape = {d};
    std::mt19937_64 rng(7);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (int64_t i = 0; i < n * d; ++i)
        ds.x.push_back(g(rng));
    for (int64_t i = 0; i < n; ++i)
        ds.y.push_back(ds.x[size_t(i * d)] > 0 ? 1 : 0);
    ds.classNames = {"no", "yes"};
    for (int64_t j = 0; j < d; ++j)
        ds.featureNames.push_back("f" + std::to_string(j));
    ds.source = "memory";
    return ds;
}

// forward(self, x) with `body` (lines joined by "\n    ") over a weight w [d, 2].
inline torch::jit::Module scripted(const std::string& body, int64_t d)
{
    torch::jit::Module m("Hostile");
    m.register_parameter("w", torch::linspace(-1.0, 1.5, d * 2).view({d, 2}), false);
    m.define("def forward(self, x):\n    " + body + "\n");
    return m;
}

inline std::string bytesOf(const torch::jit::Module& m)
{
    std::ostringstream out(std::ios::binary);
    m.save(out);
    return out.str();
}

inline void writeAll(const std::string& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

// Appends v as n little-endian bytes (zip headers).
inline void le(std::string& s, uint64_t v, int n)
{
    for (int i = 0; i < n; ++i)
        s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// The senn::Error text of f(), or "(no error)".
template <typename F>
std::string errorOf(F f)
{
    try {
        f();
    } catch (const senn::Error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace senn::testing

// One line naming the file and saying the problem.
#define EXPECT_ERROR(call, file, needle)                                                          \
    do {                                                                                          \
        const std::string m_ = senn::testing::errorOf([&] { call; });                             \
        QVERIFY2(m_.find(file) != std::string::npos && m_.find(needle) != std::string::npos,      \
                 m_.c_str());                                                                     \
        QVERIFY2(m_.find('\n') == std::string::npos, m_.c_str());                                 \
    } while (0)
