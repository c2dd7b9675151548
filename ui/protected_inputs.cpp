#include "ui/protected_inputs.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <mutex>

namespace senn::ui {

namespace {
std::mutex g_mutex;
std::function<QStringList()> g_provider;
} // namespace

void setProtectedInputsProvider(std::function<QStringList()> provider)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    g_provider = std::move(provider);
}

QString outputRefusal(const QString& path)
{
    std::vector<std::string> inputs;
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        if (g_provider)
            for (const QString& p : g_provider())
                if (!p.isEmpty())
                    inputs.push_back(p.toStdString());
    }
    try {
        files::checkOutput({}, path.toStdString(), inputs);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace senn::ui
