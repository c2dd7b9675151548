// Explanations as JSON (core/io/explanation_json.h) and the display rules core decides for
// them: the explained output's ids, the scale groups a comparison shares, the run's label.
// Known answers: a written explanation reads back equal, field by field; earlier files map
// their "output_logit" diagnostic (or their method) to the output; bad fields are named.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/explain/explanation_label.h"
#include "core/explain/scale_group.h"
#include "core/io/explanation_json.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <set>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

namespace {
Explanation everyField()
{
    Explanation e;
    e.method = "shapley";
    e.target = 2;
    e.output = Output::Probability;
    e.values = {0.25f, -1.5f, 3.0e-7f, 12.75f};
    e.shape = {1, 2, 2};
    e.labels = {"a", "b", "c", "d"};
    e.baseline = {0.5f, 0.5f, 0.0f, 1.0f};
    e.h = {1.0f, 2.0f, -3.0f, 0.125f};
    e.contribution = {0.25f, -3.0f, 0.0f, 1.5f};
    e.segments = {0, 0, 1, 1};
    e.standardError = {0.01f, 0.02f, 0.0f, 0.5f};
    e.seconds = 0.123456789;
    e.modelRows = 21091;
    e.diagnostics = {{"exact", 0}, {"permutations", 100}, {"sum_phi", 11.5}, {"r2", std::nan("")}};
    return e;
}

std::set<std::string> keysOf(const nlohmann::json& j)
{
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items())
        keys.insert(k);
    return keys;
}
} // namespace

class TestExplanationJson : public QObject {
    Q_OBJECT
private slots:
    void writtenAndReadBackEqual()
    {
        const Explanation e = everyField();
        const Explanation r = io::explanationFromJsonText(io::explanationToJsonText(e, 2), "test.json");
        QCOMPARE(r.method, e.method);
        QCOMPARE(r.target, e.target);
        QVERIFY(r.output == Output::Probability);
        QCOMPARE(r.values, e.values); // floats exactly: the writer keeps every digit
        QCOMPARE(r.shape, e.shape);
        QCOMPARE(r.labels, e.labels);
        QCOMPARE(r.baseline, e.baseline);
        QCOMPARE(r.h, e.h);
        QCOMPARE(r.contribution, e.contribution);
        QCOMPARE(r.segments, e.segments);
        QCOMPARE(r.standardError, e.standardError);
        QCOMPARE(r.seconds, e.seconds);
        QCOMPARE(r.modelRows, e.modelRows);
        QCOMPARE(r.diagnostics.size(), e.diagnostics.size()); // output_logit is not kept
        for (const auto& [k, v] : e.diagnostics) {
            QVERIFY2(r.diagnostics.count(k), k.c_str());
            if (std::isnan(v))
                QVERIFY(std::isnan(r.diagnostics.at(k))); // written as null
            else
                QCOMPARE(r.diagnostics.at(k), v);
        }
    }

    // A real run: exact Shapley of a linear model, through the writer and back.
    void explainerOutputReadsBack()
    {
        auto fx = makeTabular(100, 4, 3);
        auto model = linearModel(torch::tensor({{1.f, -2.f, 0.5f, 0.f}, {0.25f, 3.f, -1.f, 2.f}, {0.f, 1.f, 1.f, -0.5f}}),
                                 torch::tensor({0.1f, -0.2f, 0.3f}));
        ExplainOptions o;
        o.target = 1;
        const Explanation e = explain::explain(Method::Shapley, model, fx->ctx, fx->data.row(fx->split.test[0]), o);
        QCOMPARE(e.diagnostics.count("output_logit"), size_t(0));
        const Explanation r = io::explanationFromJson(io::explanationToJson(e), "run");
        QCOMPARE(r.values, e.values);
        QCOMPARE(r.labels, e.labels);
        QVERIFY(r.output == Output::Logit);
        QCOMPARE(r.diagnostics, e.diagnostics);
    }

    // The keys cli.md documents, plus the run's label and output; optional ones only when set.
    void keysAreTheDocumentedOnes()
    {
        const auto full = io::explanationToJson(everyField());
        QCOMPARE(keysOf(full), (std::set<std::string>{"method", "label", "output", "target", "values", "shape",
                                                       "seconds", "model_rows", "diagnostics", "labels", "h",
                                                       "contribution", "baseline", "segments", "standard_error"}));
        QCOMPARE(full.at("label").get<std::string>(), std::string("Shapley (sampled, 100 permutations)"));
        QCOMPARE(full.at("output").get<std::string>(), std::string("probability"));
        QCOMPARE(full.at("diagnostics").at("output_logit").get<int>(), 0); // for earlier readers
        QVERIFY(full.at("diagnostics").at("r2").is_null());
        Explanation bare;
        bare.method = "saliency";
        bare.values = {1.0f};
        bare.shape = {1};
        QCOMPARE(keysOf(io::explanationToJson(bare)),
                 (std::set<std::string>{"method", "label", "output", "target", "values", "shape", "seconds",
                                        "model_rows", "diagnostics"}));
    }

    void earlierFilesKeepTheirOutput()
    {
        // The diagnostic decides where "output" is missing, and is dropped.
        auto j = nlohmann::json::parse(R"({"method": "saliency", "values": [1, 2], "shape": [2],
                                           "diagnostics": {"output_logit": 0, "probability": 0.9}})");
        Explanation e = io::explanationFromJson(j, "old.json");
        QVERIFY(e.output == Output::Probability);
        QCOMPARE(e.diagnostics.count("output_logit"), size_t(0));
        QCOMPARE(e.diagnostics.at("probability"), 0.9);
        // Neither: the sampling methods and occlusion explained the probability, others the logit.
        for (const char* m : {"lime", "kernel-shap", "shapley", "occlusion"})
            QVERIFY(io::explanationFromJson({{"method", m}, {"values", {1.0}}}, "old").output == Output::Probability);
        for (const char* m : {"senn", "saliency", "integrated-gradients", "flint"})
            QVERIFY(io::explanationFromJson({{"method", m}, {"values", {1.0}}}, "old").output == Output::Logit);
    }

    void badFieldsAreNamed()
    {
        auto fails = [](const nlohmann::json& j, const std::string& expected) {
            try {
                io::explanationFromJson(j, "e.json: explanation 2");
            } catch (const Error& err) {
                const std::string what = err.what();
                return what.rfind("e.json: explanation 2", 0) == 0 && what.find(expected) != std::string::npos;
            }
            return false;
        };
        QVERIFY(fails(nlohmann::json::array(), "must be a JSON object"));
        QVERIFY(fails({{"values", {1}}}, "\"method\" is missing"));
        QVERIFY(fails({{"method", "lime"}}, "\"values\" is missing"));
        QVERIFY(fails({{"method", "lime"}, {"values", "x"}}, "\"values\" is string, not a list"));
        QVERIFY(fails({{"method", "lime"}, {"values", {1, "x"}}}, "\"values\" holds string"));
        QVERIFY(fails({{"method", "lime"}, {"values", {1, 2}}, {"shape", {3}}}, "\"shape\" does not match the 2 values"));
        QVERIFY(fails({{"method", "lime"}, {"values", {1}}, {"target", 1.5}}, "\"target\" must be an integer"));
        QVERIFY(fails({{"method", "lime"}, {"values", {1}}, {"h", {1, 2}}}, "\"h\" has 2 entries"));
        QVERIFY(fails({{"method", "lime"}, {"values", {1}}, {"output", "logits"}}, "valid outputs: logit, probability"));
        QVERIFY_THROWS_EXCEPTION(Error, io::explanationFromJsonText("{", "e.json"));
    }

    void outputIds()
    {
        QCOMPARE(outputId(Output::Logit), std::string("logit"));
        QCOMPARE(outputId(Output::Probability), std::string("probability"));
        for (Output o : {Output::Logit, Output::Probability})
            QVERIFY(outputFromId(outputId(o)) == o);
        QVERIFY_THROWS_EXCEPTION(Error, outputFromId(""));
    }

    // Additive attributions of one output share a scale; gradients of one output another;
    // SENN's θ and FLINT keep their own; SENN's θ·h joins the additive ones of its output.
    void scaleGroups()
    {
        const auto logit = scaleGroup(Method::KernelShap, Output::Logit);
        QCOMPARE(logit, std::string("additive:logit"));
        for (Method m : {Method::Lime, Method::Shapley, Method::GradInput, Method::IntegratedGradients, Method::Occlusion})
            QCOMPARE(scaleGroup(m, Output::Logit), logit);
        QCOMPARE(scaleGroup(Method::Lime, Output::Probability), std::string("additive:probability"));
        QCOMPARE(scaleGroup(Method::Saliency, Output::Logit), std::string("gradient:logit"));
        QCOMPARE(scaleGroup(Method::SmoothGrad, Output::Probability), std::string("gradient:probability"));
        QCOMPARE(scaleGroup(Method::Senn, Output::Logit), std::string());
        QCOMPARE(scaleGroup(Method::Flint, Output::Logit), std::string());
        Explanation senn;
        senn.method = "senn";
        QCOMPARE(scaleGroup(senn), std::string());
        QCOMPARE(contributionScaleGroup(senn), logit);
        Explanation occ;
        occ.method = "occlusion";
        occ.output = Output::Probability;
        QCOMPARE(scaleGroup(occ), std::string("additive:probability"));
        occ.method = "no-such-method";
        QCOMPARE(scaleGroup(occ), std::string());
    }

    void labels()
    {
        Explanation e;
        e.method = "shapley";
        e.diagnostics["exact"] = 1;
        QCOMPARE(explanationLabel(e), std::string("Shapley (exact)"));
        e.diagnostics["exact"] = 0;
        QCOMPARE(explanationLabel(e), std::string("Shapley (sampled)"));
        e.method = "kernel-shap";
        e.diagnostics = {{"coalitions", 14}, {"full_enumeration", 1}};
        QCOMPARE(explanationLabel(e), std::string("KernelSHAP (all 14 coalitions)"));
        e.method = "grad-input";
        QCOMPARE(explanationLabel(e), std::string("Gradient × input"));
        e.method = "custom";
        QCOMPARE(explanationLabel(e), std::string("custom"));
    }
};

QTEST_GUILESS_MAIN(TestExplanationJson)
#include "test_explanation_json.moc"
