// Where SENN Studio finds its bundled example data (File > Examples) in the build tree, when
// installed, or where SENN_DATA_DIR points; and the example datasets it offers.
#pragma once
#include <QString>
#include <QStringList>

namespace senn::ui {

// The first existing of: $SENN_DATA_DIR, <exe dir>/../../../resources/data (build tree),
// <exe dir>/../share/senn-studio/data (installed). Empty when none exists.
QString bundledDataDir();
// The candidates bundledDataDir() tries, in order (for messages and tests).
QStringList bundledDataCandidates();

struct ExampleDataset {
    QString title;    // menu text
    QString relative; // path below bundledDataDir()
    QString target;   // CSV target column; empty for image data
    // A unit model with a known truth (core/io/ground_truth.h) opened on the data, below
    // bundledDataDir(); empty: the data alone.
    QString model;
};
QList<ExampleDataset> exampleDatasets();

} // namespace senn::ui
