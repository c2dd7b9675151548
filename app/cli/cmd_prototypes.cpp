// `senn prototypes` (cli.md): the top and bottom activating training examples of each of a
// SENN's concepts, as JSON and, with --figure, the prototype grid.
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/metrics/metrics.h"
#include "ui/figures.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace senn::cli {

using nlohmann::json;

int cmdPrototypes(const PrototypesArgs& args)
{
    checkFigurePath(args.figure);
    auto ws = openModelAndData(args.model, args.data);
    auto p = metrics::conceptPrototypes(ws.model, ws.data, ws.split.train, args.top);
    json out;
    out["k"] = p.k;
    out["split"] = "train";
    out["top"] = p.top;
    out["bottom"] = p.bottom;
    out["top_values"] = p.topValue;
    out["bottom_values"] = p.bottomValue;
    if (!args.json.empty() || args.figure.empty())
        writeOrPrint(args.json, out);
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderPrototypesFigure(p, ws.data, QString::fromStdString(args.figure), &error), error, args.figure);
    }
    return 0;
}

Command addPrototypesCommand(CLI::App& app)
{
    auto proto = std::make_shared<PrototypesArgs>();
    auto* p = app.add_subcommand("prototypes", "Top and bottom activating training examples per concept");
    addModelData(p, proto->model, proto->data);
    p->add_option("--top", proto->top, "Examples per concept and end")
        ->check(whole(1, limits::kMaxPrototypes));
    p->add_option("--json", proto->json, "Write the prototypes as JSON");
    p->add_option("--figure", proto->figure, "Render the prototype grid to .png, .svg or .pdf");
    Command c;
    c.sub = p;
    c.check = [proto] {
        files::checkOutputs({{"--json", proto->json}, {"--figure", proto->figure}}, {proto->model, proto->data});
    };
    c.run = [proto] { return cmdPrototypes(*proto); };
    return c;
}

} // namespace senn::cli
