#include "ui/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace senn::ui {

QStringList bundledDataCandidates()
{
    QStringList out;
    const QString env = qEnvironmentVariable("SENN_DATA_DIR");
    if (!env.isEmpty())
        out << env;
    const QString exe = QCoreApplication::applicationDirPath();
    out << QDir::cleanPath(exe + "/../../../resources/data")
        << QDir::cleanPath(exe + "/../share/senn-studio/data");
    return out;
}

QString bundledDataDir()
{
    for (const auto& c : bundledDataCandidates())
        if (QFileInfo(c).isDir())
            return c;
    return {};
}

QList<ExampleDataset> exampleDatasets()
{
    return {
        {QObject::tr("&MNIST digits (10,000 images)"), QStringLiteral("mnist-10k"), QString()},
        {QObject::tr("&Breast cancer (569 patients, 30 features)"), QStringLiteral("breast-cancer.csv"),
         QStringLiteral("diagnosis")},
        {QObject::tr("&Digits 8x8 (1,797 rows, 64 features)"), QStringLiteral("digits-8x8.csv"),
         QStringLiteral("digit")},
        // Ground truth: models whose relevant inputs are known (written by `senn ground-truth --make`).
        {QObject::tr("Ground truth: &linear in 5 of 30 columns (breast cancer)"), QStringLiteral("breast-cancer.csv"),
         QStringLiteral("diagnosis"), QStringLiteral("ground-truth/linear-breast-cancer.pt")},
        {QObject::tr("Ground truth: two &interactions (breast cancer)"), QStringLiteral("breast-cancer.csv"),
         QStringLiteral("diagnosis"), QStringLiteral("ground-truth/interaction-breast-cancer.pt")},
        {QObject::tr("Ground truth: linear in the centre &patch (MNIST)"), QStringLiteral("mnist-10k"), QString(),
         QStringLiteral("ground-truth/patch-mnist.pt")},
    };
}

} // namespace senn::ui
