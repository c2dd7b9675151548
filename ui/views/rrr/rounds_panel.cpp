// Find another explanation: step 4's controls and the grid that gains one column per round.
#include "ui/views/rrr/rounds_panel.h"

#include "core/train/rrr.h"
#include "ui/plots/heatmap_view.h"
#include "ui/views/mask_painter.h"
#include "ui/views/rrr/training_panel.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace senn::ui {

RrrRoundsPanel::RrrRoundsPanel(QWidget* parent) : QGroupBox(tr("4 · Find another explanation"), parent)
{
    auto* form = new QFormLayout(this);
    m_rounds = new QSpinBox;
    m_rounds->setRange(1, 10);
    m_rounds->setValue(3);
    m_run = new QPushButton(tr("Run &rounds"));
    m_run->setToolTip(tr("Round 1 trains without a mask; each later round masks the pixels "
                         "with |∂max p/∂x| > 0.67·max of every earlier round and trains "
                         "with λ₁, so each model must find another reason."));
    auto* help = new QLabel(tr("No annotations needed: each round must reach its accuracy "
                               "by a different reason."));
    help->setWordWrap(true);
    form->addRow(tr("Rounds:"), m_rounds);
    form->addRow(m_run);
    form->addRow(help);
    connect(m_run, &QPushButton::clicked, this, &RrrRoundsPanel::runRequested);
}

int RrrRoundsPanel::rounds() const { return m_rounds->value(); }
void RrrRoundsPanel::setRounds(int rounds) { m_rounds->setValue(rounds); }

RrrRoundsGrid::RrrRoundsGrid(QWidget* parent)
    : QGroupBox(tr("Rounds: input gradients (values under 10% of each map's max hidden)"), parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    m_box = new QWidget;
    m_box->setObjectName("rrrRounds");
    m_grid = new QGridLayout(m_box);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->addWidget(new QLabel(tr("Run \"find another explanation\" to compare the rounds here.")), 0, 0);
    scroll->setWidget(m_box);
    layout->addWidget(scroll);
    setMinimumHeight(120);
}

void RrrRoundsGrid::clear()
{
    while (auto* item = m_grid->takeAt(0)) {
        if (item->widget())
            item->widget()->deleteLater();
        delete item;
    }
    m_count = 0;
}

void RrrRoundsGrid::addRound(const RrrRound& r, const data::Dataset* data)
{
    const auto inData = [&](int64_t row) { return data && row >= 0 && row < data->rows(); };
    if (m_count == 0) {
        // Row labels: one per example.
        for (size_t i = 0; i < r.rows.size(); ++i) {
            QString text = tr("row %1").arg(r.rows[i]);
            if (inData(r.rows[i]))
                text += tr("\nlabel %1").arg(data->y[size_t(r.rows[i])]);
            m_grid->addWidget(new QLabel(text), int(i) + 1, 0);
        }
    }
    const int col = r.round;
    auto* head = new QLabel(tr("<b>Round %1</b>%2<br>train %3 · test %4<br>mask %5 of pixels")
                                .arg(r.round)
                                .arg(r.cancelled ? tr(" (cancelled)") : QString())
                                .arg(accuracyText(r.trainAccuracy), accuracyText(r.testAccuracy))
                                .arg(QStringLiteral("%1%").arg(r.maskCoverage * 100.0, 0, 'f', 2)));
    head->setAlignment(Qt::AlignCenter);
    m_grid->addWidget(head, 0, col);
    const size_t d = r.rows.empty() ? 0 : r.gradients.size() / r.rows.size();
    const auto [h, w] = samplePlane(r.shape);
    for (size_t i = 0; i < r.rows.size() && d > 0; ++i) {
        std::vector<float> g(r.gradients.begin() + std::ptrdiff_t(i * d),
                             r.gradients.begin() + std::ptrdiff_t((i + 1) * d));
        auto* map = new HeatmapView;
        map->setObjectName(QStringLiteral("round%1map%2").arg(r.round).arg(i));
        map->setMinimumSize(150, 110);
        map->setColorBarVisible(false);
        map->setValues(train::thresholdGradients(g, int64_t(d)), r.shape);
        if (inData(r.rows[i]))
            map->setUnderlay(channelMean(data->row(r.rows[i]), data->sampleShape), {int64_t(h), int64_t(w)});
        m_grid->addWidget(map, int(i) + 1, col);
    }
    ++m_count;
}

} // namespace senn::ui
