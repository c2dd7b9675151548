// The example row of the Right reasons view, its paintable mask and its input-gradient map.
#include "ui/views/rrr/example_panel.h"

#include "core/metrics/localisation.h"
#include "core/train/rrr.h"
#include "ui/plots/heatmap_view.h"
#include "ui/views/mask_painter.h"
#include "ui/views/rrr/training_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace senn::ui {

RrrExamplePanel::RrrExamplePanel(QWidget* parent) : QGroupBox(tr("Example"), parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* pick = new QHBoxLayout;
    m_split = new QComboBox;
    m_split->addItem(tr("train"), "train");
    m_split->addItem(tr("test"), "test");
    m_example = new QSpinBox;
    m_example->setObjectName("rrrExample");
    m_example->setRange(0, 0);
    m_label = new QLabel;
    pick->addWidget(m_split);
    pick->addWidget(m_example);
    pick->addWidget(m_label, 1);
    layout->addLayout(pick);
    auto* maps = new QHBoxLayout;
    m_painter = new MaskPainter;
    m_gradient = new HeatmapView;
    m_gradient->setObjectName("rrrGradient");
    m_gradient->setColorBarLabel(tr("∂Σlog p/∂x"));
    m_gradient->setMinimumSize(180, 140); // fits a 1280×800 window
    auto* paintCol = new QVBoxLayout;
    paintCol->addWidget(new QLabel(tr("Mask (paint here)")));
    paintCol->addWidget(m_painter, 1);
    auto* gradCol = new QVBoxLayout;
    m_gradientLabel = new QLabel(tr("Input gradient (no model)"));
    m_gradientLabel->setObjectName("rrrGradientLabel");
    gradCol->addWidget(m_gradientLabel);
    gradCol->addWidget(m_gradient, 1);
    maps->addLayout(paintCol, 1);
    maps->addLayout(gradCol, 1);
    layout->addLayout(maps, 1);

    connect(m_split, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        m_example->setRange(0, std::max<int>(0, int(splitRows().size()) - 1));
        showExample();
    });
    connect(m_example, qOverload<int>(&QSpinBox::valueChanged), this, [this] { showExample(); });
}

const std::vector<int64_t>& RrrExamplePanel::splitRows() const
{
    return m_split->currentData().toString() == "test" ? m_data.testRows : m_data.trainRows;
}

int64_t RrrExamplePanel::currentRow() const
{
    const auto& rows = splitRows();
    const int i = m_example->value();
    return i >= 0 && size_t(i) < rows.size() ? rows[size_t(i)] : -1;
}

void RrrExamplePanel::setExampleIndex(int index)
{
    m_example->setValue(index);
    showExample();
}

void RrrExamplePanel::setDataset(const DatasetSummary& summary)
{
    m_data = summary;
    m_example->setRange(0, std::max<int>(0, int(splitRows().size()) - 1));
    showExample();
}

void RrrExamplePanel::showExample()
{
    const int64_t row = currentRow();
    if (!m_data.data || row < 0) {
        m_label->clear();
        return;
    }
    const auto& d = *m_data.data;
    const int64_t y = d.y[size_t(row)];
    const QString label = y >= 0 && size_t(y) < d.classNames.size()
                              ? QString::fromStdString(d.classNames[size_t(y)]) : QString::number(y);
    m_label->setText(tr("row %1, label %2").arg(row).arg(label));
    std::vector<float> x(d.row(row), d.row(row) + d.featureCount());
    m_painter->setImage(x, d.sampleShape);
    const auto [h, w] = samplePlane(d.sampleShape);
    m_gradient->setUnderlay(channelMean(x.data(), d.sampleShape), {int64_t(h), int64_t(w)});
    emit exampleShown(row);
}

void RrrExamplePanel::setGradients(const RrrGradients& g)
{
    if (g.rows.size() != 1 || g.rows[0] != currentRow())
        return; // an older request
    std::vector<float> shown = g.gradients;
    try {
        shown = train::thresholdGradients(g.gradients, int64_t(g.gradients.size()));
    } catch (...) {
    }
    m_gradient->setValues(shown, g.shape);
    m_gradientLabel->setText(tr("Input gradient of the current model (train %1, test %2)")
                                 .arg(accuracyText(g.trainAccuracy), accuracyText(g.testAccuracy)) +
                             maskShareText(g.gradients));
}

// Where the gradient lies against this example's mask (the Decoy patch or a painted one): the
// share of |gradient| inside it and whether its largest value is there. A plain model on Decoy
// MNIST looks at the patch; after RRR training the share should fall.
QString RrrExamplePanel::maskShareText(const std::vector<float>& gradient) const
{
    const auto& plane = m_painter->mask();
    if (plane.empty() || gradient.empty() || gradient.size() % plane.size() != 0)
        return {};
    std::vector<uint8_t> mask(gradient.size());
    for (size_t i = 0; i < mask.size(); ++i)
        mask[i] = plane[i % plane.size()] >= 0.5f ? 1 : 0;
    metrics::LocalisationOptions o;
    o.absolute = true;
    const auto s = metrics::localisation(gradient.data(), mask.data(), int64_t(mask.size()), o);
    if (!std::isfinite(s.massAccuracy))
        return {};
    return tr("<br>%1% of |gradient| in the mask; largest value %2")
        .arg(s.massAccuracy * 100, 0, 'f', 1)
        .arg(s.pointingGame > 0.5 ? tr("inside it") : tr("outside it"));
}

void RrrExamplePanel::showNoModel() { m_gradientLabel->setText(tr("Input gradient (no model)")); }

} // namespace senn::ui
