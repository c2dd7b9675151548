// The helpers of metric_output.h.
#include "cli/metric_output.h"

#include "cli/cli_util.h"
#include "core/common/error.h"
#include "core/common/system_info.h"
#include "core/metrics/metrics.h"

#include <QApplication>

#include <cmath>
#include <iostream>
#include <thread>

namespace senn::cli {

using nlohmann::json;

void ensureGuiApp()
{
    if (QCoreApplication::instance())
        return;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "senn";
    static char* argv[] = {name, nullptr};
    static QApplication app(argc, argv);
}

int allCores()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : int(n);
}

void warnIfReferenceBlas()
{
    const auto w = common::blasWarning(common::systemInfo());
    if (!w.empty())
        std::cerr << "senn: " << w << "\n";
}

void checkFigurePath(const std::string& figure)
{
    if (figure.empty())
        return;
    auto dot = figure.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : figure.substr(dot);
    if (ext != ".png" && ext != ".svg" && ext != ".pdf")
        throw Error("--figure " + figure + ": unknown format; use a .png, .svg or .pdf file name");
}

void figureDone(bool ok, const QString& error, const std::string& path)
{
    if (!ok)
        throw Error("--figure " + path + ": " + (error.isEmpty() ? std::string("could not be written") : error.toStdString()));
    std::cerr << "senn: wrote " << path << "\n";
}

std::vector<explain::Method> parseMethods(const std::vector<std::string>& ids)
{
    if (ids.empty())
        throw Error("no methods given: pass --methods, e.g. --methods senn,lime,saliency");
    std::vector<explain::Method> out;
    for (const auto& id : ids)
        out.push_back(explain::methodFromId(id));
    return out;
}

json finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json finiteArray(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(finite(x));
    return a;
}

std::vector<int64_t> metricPoints(const io::Workspace& ws, int requested, int fallback)
{
    const auto& rows = metrics::metricRows(ws.split);
    if (rows.empty())
        throw Error("the test and validation splits of " + ws.data.source +
                    " are empty: there are no points to measure");
    if (requested < 0)
        return rows; // --points all
    return metrics::pickPoints(rows, requested > 0 ? requested : fallback);
}

void writeOrPrint(const std::string& path, const json& j)
{
    if (!path.empty())
        writeJsonFile(path, j);
    else
        std::cout << j.dump(2) << "\n";
}

} // namespace senn::cli
