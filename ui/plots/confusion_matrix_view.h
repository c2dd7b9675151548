// Confusion matrix as a heat map (rows: true class, columns: predicted) with the count in
// every cell and class names on both axes; colour by row-normalised rate.
#pragma once
#include "ui/plots/plot_frame.h"

#include <cstdint>
#include <string>
#include <vector>

namespace senn::ui {

class ConfusionMatrixView : public PlotFrame {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    // confusion[true][predicted]
    void setMatrix(const std::vector<std::vector<int64_t>>& confusion,
                   const std::vector<std::string>& classNames);
    int64_t total() const;
    double accuracy() const;
    const std::vector<std::vector<int64_t>>& matrix() const { return m_matrix; }

    QString dataCsv() const override;
    QString dataJson() const override;

Q_SIGNALS:
    void cellClicked(int trueClass, int predictedClass);

private:
    void rebuild();

    std::vector<std::vector<int64_t>> m_matrix;
    QStringList m_names;
};

} // namespace senn::ui
