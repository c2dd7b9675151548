// The DatasetSummary the Data view shows: format name, split rows, class counts, and the
// problems worth a warning (non-finite values, constant features, imbalance, few rows).
#include "ui/worker/dataset_summary.h"

#include <algorithm>
#include <cmath>

namespace senn::ui {

QString formatName(data::SourceFormat f)
{
    switch (f) {
    case data::SourceFormat::Csv: return QStringLiteral("CSV");
    case data::SourceFormat::IdxFolder: return QStringLiteral("IDX folder");
    case data::SourceFormat::ImageFolder: return QStringLiteral("Image folder");
    case data::SourceFormat::NpyPair: return QStringLiteral("NumPy pair");
    case data::SourceFormat::Unknown: break;
    }
    return QStringLiteral("Unknown");
}

QStringList detectProblems(const data::Dataset& d)
{
    QStringList out;
    const int64_t f = d.featureCount();
    int64_t nonFinite = 0;
    for (float v : d.x)
        if (!std::isfinite(v))
            ++nonFinite;
    if (nonFinite > 0)
        out << QStringLiteral("%1 values are not finite (NaN or infinity)").arg(nonFinite);
    if (!d.isImage() && d.rows() > 1) {
        QStringList constant;
        for (int64_t j = 0; j < f; ++j) {
            const float first = d.row(0)[j];
            bool same = true;
            for (int64_t i = 1; i < d.rows() && same; ++i)
                same = d.row(i)[j] == first;
            if (same)
                constant << (j < static_cast<int64_t>(d.featureNames.size())
                                 ? QString::fromStdString(d.featureNames[size_t(j)])
                                 : QString::number(j));
        }
        if (!constant.isEmpty())
            out << QStringLiteral("Constant features (carry no information): %1")
                       .arg(constant.mid(0, 8).join(", "));
    }
    const auto counts = d.classCounts();
    if (!counts.empty()) {
        const auto [mn, mx] = std::minmax_element(counts.begin(), counts.end());
        if (*mn < 5)
            out << QStringLiteral("A class has only %1 rows; accuracy on it will be noisy").arg(*mn);
        else if (*mx > 5 * *mn)
            out << QStringLiteral("Classes are imbalanced (largest/smallest = %1)")
                       .arg(double(*mx) / double(*mn), 0, 'f', 1);
    }
    if (d.rows() < 50)
        out << QStringLiteral("Only %1 rows: too few to train and test reliably").arg(d.rows());
    return out;
}

DatasetSummary summarizeDataset(const WorkerState& state, const QString& path, const QString& format)
{
    DatasetSummary s;
    s.path = path;
    s.target = QString::fromStdString(state.data->targetName);
    s.format = format;
    s.classCounts = state.data->classCounts();
    s.trainRows = state.split.train;
    s.valRows = state.split.val;
    s.testRows = state.split.test;
    s.data = state.data;
    return s;
}

} // namespace senn::ui
