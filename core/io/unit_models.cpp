// The unit models with a known answer (ground_truth.h): a small TorchScript module defined
// from C++ source, its weights fitted here, the truth kept as a string attribute of the module
// so that it travels inside the one file and the normal TorchScript opening path reads it.
#include "core/io/ground_truth.h"

#include "core/common/error.h"
#include "core/data/split.h"
#include "core/io/model_file.h"
#include "core/models/torch_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace senn::io {

namespace {

constexpr const char* kTruthAttribute = "senn_ground_truth";

// Every unit model: u = (x[features] - centre) / scale, then the logits are linear in u's
// `single` entries and in the products u[left]·u[right].
constexpr const char* kForward = R"JIT(
def forward(self, x):
    u = (x.flatten(1).index_select(1, self.features) - self.centre) / self.scale
    f = torch.cat([u.index_select(1, self.single), u.index_select(1, self.left) * u.index_select(1, self.right)], 1)
    return torch.matmul(f, self.weight) + self.bias
)JIT";

struct Design {
    std::vector<int64_t> features;           // flat input indices
    std::vector<float> centre, scale;        // per feature
    std::vector<int64_t> single, left, right; // positions in `features`
};

// Softmax regression of y on the design's terms over `rows`, from zero weights: full-batch
// Adam with a small L2 penalty, a fixed number of steps, so the result is a function of the
// data alone.
std::pair<torch::Tensor, torch::Tensor> fitSoftmax(const torch::Tensor& terms, const torch::Tensor& y, int64_t classes)
{
    torch::NoGradGuard outer;
    auto w = torch::zeros({terms.size(1), classes}, torch::kFloat32);
    auto b = torch::zeros({classes}, torch::kFloat32);
    {
        torch::AutoGradMode on(true);
        w.set_requires_grad(true);
        b.set_requires_grad(true);
        torch::optim::Adam opt({w, b}, torch::optim::AdamOptions(0.05));
        for (int step = 0; step < 400; ++step) {
            opt.zero_grad();
            auto loss = torch::nn::functional::cross_entropy(torch::matmul(terms, w) + b, y) + 1e-3 * w.pow(2).sum();
            loss.backward();
            opt.step();
        }
    }
    return {w.detach().clone(), b.detach().clone()};
}

torch::Tensor longs(const std::vector<int64_t>& v)
{
    return torch::tensor(v, torch::kLong).reshape({int64_t(v.size())});
}

torch::Tensor floats(const std::vector<float>& v)
{
    return torch::tensor(v, torch::kFloat32).reshape({int64_t(v.size())});
}

// The terms of the design for the given rows: [rows, single + pairs].
torch::Tensor termsOf(const Design& design, const data::Dataset& data, const std::vector<int64_t>& rows)
{
    const int64_t n = int64_t(rows.size()), k = int64_t(design.features.size());
    auto u = torch::empty({n, k}, torch::kFloat32);
    auto pu = u.accessor<float, 2>();
    for (int64_t r = 0; r < n; ++r) {
        const float* x = data.row(rows[size_t(r)]);
        for (int64_t j = 0; j < k; ++j)
            pu[r][j] = (x[design.features[size_t(j)]] - design.centre[size_t(j)]) / design.scale[size_t(j)];
    }
    return torch::cat({u.index_select(1, longs(design.single)),
                       u.index_select(1, longs(design.left)) * u.index_select(1, longs(design.right))},
                      1);
}

// The columns that separate the classes best (spread of the class means in sd units), each
// correlated at most 0.8 with those chosen before it, so that the truth is `count` distinct
// signals rather than one measured five times.
std::vector<int64_t> separatingColumns(const data::Dataset& data, const std::vector<int64_t>& rows,
                                       const data::FeatureStats& stats, int64_t count)
{
    const int64_t d = data.featureCount(), C = data.numClasses(), n = int64_t(rows.size());
    std::vector<double> score(static_cast<size_t>(d), 0.0);
    std::vector<std::vector<float>> z(static_cast<size_t>(d), std::vector<float>(static_cast<size_t>(n)));
    for (int64_t j = 0; j < d; ++j) {
        const double sd = stats.std[size_t(j)] > 0 ? stats.std[size_t(j)] : 1.0;
        std::vector<double> sum(size_t(C), 0.0), cnt(size_t(C), 0.0);
        for (int64_t r = 0; r < n; ++r) {
            const int64_t row = rows[size_t(r)];
            z[size_t(j)][size_t(r)] = float((data.row(row)[j] - stats.mean[size_t(j)]) / sd);
            sum[size_t(data.y[size_t(row)])] += z[size_t(j)][size_t(r)];
            cnt[size_t(data.y[size_t(row)])] += 1;
        }
        for (int64_t c = 0; c < C; ++c)
            if (cnt[size_t(c)] > 0)
                score[size_t(j)] += cnt[size_t(c)] * std::pow(sum[size_t(c)] / cnt[size_t(c)], 2);
        if (!(stats.std[size_t(j)] > 0))
            score[size_t(j)] = -1; // a constant column explains nothing
    }
    std::vector<int64_t> order(static_cast<size_t>(d));
    std::iota(order.begin(), order.end(), int64_t(0));
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return score[size_t(a)] > score[size_t(b)]; });
    const auto corr = [&](int64_t a, int64_t b) {
        double s = 0;
        for (int64_t r = 0; r < n; ++r)
            s += double(z[size_t(a)][size_t(r)]) * z[size_t(b)][size_t(r)];
        return s / double(std::max<int64_t>(n, 1));
    };
    std::vector<int64_t> chosen;
    for (int64_t j : order) {
        if (int64_t(chosen.size()) == count || score[size_t(j)] < 0)
            break;
        if (std::all_of(chosen.begin(), chosen.end(), [&](int64_t c) { return std::fabs(corr(j, c)) <= 0.8; }))
            chosen.push_back(j);
    }
    if (int64_t(chosen.size()) < count)
        throw Error(data.source + ": the unit model needs " + std::to_string(count) +
                    " columns that are not near-copies of each other; this table has " +
                    std::to_string(chosen.size()));
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

std::string featureName(const data::Dataset& data, int64_t j)
{
    return j < int64_t(data.featureNames.size()) ? data.featureNames[size_t(j)] : "x" + std::to_string(j);
}

} // namespace

std::vector<uint8_t> GroundTruth::mask() const
{
    int64_t d = 1;
    for (auto s : shape)
        d *= s;
    std::vector<uint8_t> m(size_t(std::max<int64_t>(d, 0)), 0);
    for (auto j : relevant)
        if (j >= 0 && j < d)
            m[size_t(j)] = 1;
    return m;
}

std::string groundTruthToJson(const GroundTruth& t)
{
    nlohmann::json j;
    j["format"] = 1;
    j["kind"] = t.kind;
    j["description"] = t.description;
    j["shape"] = t.shape;
    j["relevant"] = t.relevant;
    auto pairs = nlohmann::json::array();
    for (const auto& [a, b] : t.interactions)
        pairs.push_back({a, b});
    j["interactions"] = pairs;
    return j.dump();
}

GroundTruth groundTruthFromJson(const std::string& text, const std::string& file)
{
    const auto bad = [&](const std::string& what) {
        return Error::inFile(file, "its ground truth " + what, "Write the model again with SENN Studio");
    };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const std::exception&) {
        throw bad("is not valid JSON");
    }
    if (!j.is_object())
        throw bad("is not a JSON object");
    GroundTruth t;
    try {
        t.kind = j.value("kind", std::string());
        t.description = j.value("description", std::string());
        t.shape = j.at("shape").get<std::vector<int64_t>>();
        t.relevant = j.at("relevant").get<std::vector<int64_t>>();
        for (const auto& p : j.value("interactions", nlohmann::json::array()))
            t.interactions.emplace_back(p.at(0).get<int64_t>(), p.at(1).get<int64_t>());
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        throw bad("lacks its shape or relevant features, or holds a wrong type");
    }
    int64_t d = 1;
    for (auto s : t.shape) {
        if (s <= 0 || s > (int64_t(1) << 24))
            throw bad("has an impossible shape");
        d *= s;
        if (d > (int64_t(1) << 28))
            throw bad("has an impossible shape");
    }
    const auto inRange = [d](int64_t i) { return i >= 0 && i < d; };
    if (t.relevant.empty() || !std::all_of(t.relevant.begin(), t.relevant.end(), inRange))
        throw bad("names no relevant feature, or one outside the input");
    for (const auto& [a, b] : t.interactions)
        if (!inRange(a) || !inRange(b))
            throw bad("names an interaction outside the input");
    return t;
}

std::optional<GroundTruth> groundTruthOf(const models::Model& model)
{
    if (!model.isValid() || !model.impl())
        return std::nullopt;
    const torch::jit::Module* m = models::torchScriptModule(*model.impl());
    if (!m || !m->hasattr(kTruthAttribute))
        return std::nullopt;
    const c10::IValue v = m->attr(kTruthAttribute);
    if (!v.isString())
        return std::nullopt;
    GroundTruth t = groundTruthFromJson(v.toStringRef(), model.meta().torchScriptPath);
    if (t.shape != model.inputShape())
        throw Error::inFile(model.meta().torchScriptPath, "its ground truth is for inputs shaped differently from the model's");
    return t;
}

std::vector<std::string> unitModelIds()
{
    return {"linear", "interaction", "patch"};
}

GroundTruth writeUnitModel(const std::string& id, const data::Dataset& data, const std::string& path)
{
    const auto ids = unitModelIds();
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
        throw Error("unknown unit model '" + id + "' (choose linear, interaction or patch)");
    const bool image = id == "patch";
    if (image != data.isImage())
        throw Error(data.source + ": the '" + id + "' unit model needs " +
                    (image ? "image data (e.g. MNIST)" : "a table (e.g. breast cancer)"));
    if (data.numClasses() < 2 || data.rows() < 10)
        throw Error(data.source + ": a unit model needs at least two classes and ten rows");
    const data::Split split = data::makeSplit(data, 0, -1); // the split a TorchScript model gets
    const auto stats = data::FeatureStats::fit(data, split.train);

    GroundTruth truth;
    truth.kind = id;
    truth.shape = data.sampleShape;
    Design design;
    if (image) {
        const auto& s = data.sampleShape; // C, H, W
        const int64_t side = std::max<int64_t>(1, std::min(s[1], s[2]) / 2);
        const int64_t top = (s[1] - side) / 2, left = (s[2] - side) / 2;
        for (int64_t c = 0; c < s[0]; ++c)
            for (int64_t y = top; y < top + side; ++y)
                for (int64_t x = left; x < left + side; ++x)
                    design.features.push_back(c * s[1] * s[2] + y * s[2] + x);
        design.centre.assign(design.features.size(), 0.0f); // pixels as they are: x·w is the logit
        design.scale.assign(design.features.size(), 1.0f);
        design.single.resize(design.features.size());
        std::iota(design.single.begin(), design.single.end(), int64_t(0));
        truth.description = "Logits linear in the centre " + std::to_string(side) + "x" + std::to_string(side) +
                            " patch (rows and columns " + std::to_string(top) + "-" + std::to_string(top + side - 1) +
                            "); every other pixel weighs exactly 0.";
    } else {
        const int64_t count = id == "linear" ? 5 : 4;
        design.features = separatingColumns(data, split.train, stats, count);
        for (auto j : design.features) {
            design.centre.push_back(stats.mean[size_t(j)]);
            design.scale.push_back(stats.std[size_t(j)] > 0 ? stats.std[size_t(j)] : 1.0f);
        }
        std::string names;
        for (size_t i = 0; i < design.features.size(); ++i)
            names += (i ? ", " : "") + featureName(data, design.features[i]);
        if (id == "linear") {
            design.single = {0, 1, 2, 3, 4};
            truth.description = "Logits linear in 5 of " + std::to_string(data.featureCount()) +
                                " columns (" + names + "); the others weigh exactly 0.";
        } else {
            design.left = {0, 2};
            design.right = {1, 3};
            const auto& f = design.features;
            truth.interactions = {{f[0], f[1]}, {f[2], f[3]}};
            truth.description = "Logits are weighted products of two pairs of standardised columns (" +
                                featureName(data, f[0]) + " x " + featureName(data, f[1]) + ", " +
                                featureName(data, f[2]) + " x " + featureName(data, f[3]) +
                                "), nothing else: Shapley values split each product evenly between its pair.";
        }
    }
    truth.relevant = design.features;
    std::sort(truth.relevant.begin(), truth.relevant.end());

    std::vector<int64_t> yTrain;
    for (auto r : split.train)
        yTrain.push_back(data.y[size_t(r)]);
    auto [w, b] = fitSoftmax(termsOf(design, data, split.train), torch::tensor(yTrain, torch::kLong),
                             data.numClasses());

    torch::jit::Module m("__torch__.SennUnitModel");
    m.register_buffer("features", longs(design.features));
    m.register_buffer("centre", floats(design.centre));
    m.register_buffer("scale", floats(design.scale));
    m.register_buffer("single", longs(design.single));
    m.register_buffer("left", longs(design.left));
    m.register_buffer("right", longs(design.right));
    m.register_buffer("weight", w.contiguous());
    m.register_buffer("bias", b.contiguous());
    m.register_attribute(kTruthAttribute, c10::StringType::get(), groundTruthToJson(truth));
    m.define(kForward);
    m.eval();
    std::ostringstream bytes;
    m.save(bytes);
    writeFileAtomically(path, bytes.str());
    return truth;
}

} // namespace senn::io
