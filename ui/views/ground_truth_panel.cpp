// GroundTruthPanel (ground_truth_panel.h): where the truth comes from and the per-method
// table of localisation scores for the explained example.
#include "ui/views/ground_truth_panel.h"

#include "ui/views/painted_mask_panel.h"

#include "core/metrics/localisation.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {

constexpr int64_t kDecoySide = 4; // the patch's side in pixels (core/data/decoy.h)

QString share(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("–");
}

} // namespace

GroundTruthPanel::GroundTruthPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName("groundTruthPanel");
    auto* l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_title = new QLabel;
    m_title->setWordWrap(true);
    top->addWidget(m_title, 1);
    m_absolute = new QCheckBox(tr("Score |attribution|"));
    m_absolute->setObjectName("truthAbsolute");
    m_absolute->setToolTip(tr("Checked: mass, rank and pointing use absolute values. Unchecked: "
                              "the positive part (evidence for the explained class)."));
    m_paint = new QCheckBox(tr("Score a painted mask"));
    m_paint->setObjectName("truthPaint");
    m_paint->setToolTip(tr("Paint (or load) where the features that matter are, and score each method's "
                           "explanation of this example against it"));
    top->addWidget(m_paint);
    top->addWidget(m_absolute);
    l->addLayout(top);
    m_table = new QTableWidget(0, 5);
    m_table->setObjectName("truthTable");
    m_table->setHorizontalHeaderLabels({tr("Method"), tr("Irrelevant mass"), tr("Mass accuracy"),
                                        tr("Rank accuracy"), tr("Pointing game")});
    m_table->horizontalHeaderItem(1)->setToolTip(tr("Share of |attribution| outside the truth: 0 is perfect."));
    m_table->horizontalHeaderItem(2)->setToolTip(tr("Share of the attribution mass inside the truth: 1 is perfect."));
    m_table->horizontalHeaderItem(3)->setToolTip(tr("Share of the K top-ranked values inside the truth, K = its size."));
    m_table->horizontalHeaderItem(4)->setToolTip(tr("1 when the single top value lies inside the truth."));
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth());
    l->addWidget(m_table);
    m_painted = new PaintedMaskPanel;
    m_painted->setVisible(false);
    l->addWidget(m_painted);
    connect(m_absolute, &QCheckBox::toggled, this, [this](bool on) {
        m_painted->setAbsolute(on);
        setResult(m_last);
    });
    connect(m_paint, &QCheckBox::toggled, m_painted, &QWidget::setVisible);
    setVisible(false);
}

void GroundTruthPanel::setPaintingShown(bool shown) { m_paint->setChecked(shown); }

bool GroundTruthPanel::hasKnownTruth() const { return m_data && (!m_modelMask.empty() || !m_patches.empty()); }

void GroundTruthPanel::setDataset(const DatasetSummary& s)
{
    m_data = s.data;
    m_patches.clear();
    if (m_data && m_data->isImage())
        for (const auto& t : m_data->transforms)
            if (auto seed = data::parseDecoyTransform(t)) {
                m_patches = data::decoyPatches(*m_data, *seed);
                break;
            }
    m_last = {};
    m_painted->clearResult();
    refresh();
}

void GroundTruthPanel::setModel(const ModelSummary& s)
{
    m_modelMask = s.valid ? s.truthMask : std::vector<uint8_t>{};
    m_modelText = s.truthDescription;
    m_last = {};
    m_painted->clearResult();
    refresh();
}

std::vector<uint8_t> GroundTruthPanel::maskForRow(int64_t row) const
{
    if (!m_data)
        return {};
    const int64_t d = m_data->featureCount();
    if (!m_modelMask.empty())
        return int64_t(m_modelMask.size()) == d ? m_modelMask : std::vector<uint8_t>{};
    if (m_patches.empty() || row < 0 || row >= int64_t(m_patches.size()) || m_data->sampleShape.size() != 3)
        return {};
    const auto& s = m_data->sampleShape;
    std::vector<uint8_t> m(static_cast<size_t>(d), 0);
    const auto& p = m_patches[size_t(row)];
    for (int64_t c = 0; c < s[0]; ++c)
        for (int64_t y = p.top; y < std::min(p.top + kDecoySide, s[1]); ++y)
            for (int64_t x = p.left; x < std::min(p.left + kDecoySide, s[2]); ++x)
                m[size_t(c * s[1] * s[2] + y * s[2] + x)] = 1;
    return m;
}

QString GroundTruthPanel::truthText() const
{
    if (!m_modelMask.empty())
        return tr("<b>Known truth</b> (this model): %1").arg(m_modelText.toHtmlEscaped());
    if (!m_patches.empty())
        return tr("<b>Known truth</b>: the Decoy MNIST patch of this example (a 4x4 corner whose grey "
                  "level gave the label away in training). A model that learnt the shortcut looks there.");
    return {};
}

void GroundTruthPanel::refresh()
{
    // The panel is there with any data (for the painted mask); the known-truth part only when
    // there is a truth.
    const bool any = hasKnownTruth();
    setVisible(bool(m_data));
    m_title->setText(truthText());
    m_title->setVisible(any);
    m_table->setVisible(any);
    if (!any || m_last.explanations.empty())
        m_table->setRowCount(0);
}

void GroundTruthPanel::setResult(const ExplainResult& r)
{
    m_last = r;
    refresh();
    if (m_data)
        m_painted->setResult(r, m_data->sampleShape);
    if (r.explanations.empty())
        return;
    const auto mask = maskForRow(r.request.row);
    if (mask.empty())
        return;
    metrics::LocalisationOptions o;
    o.absolute = m_absolute->isChecked();
    m_table->setRowCount(0);
    for (const auto& e : r.explanations) {
        if (!metrics::onInput(e, int64_t(mask.size())))
            continue; // concept-space values (SENN, FLINT): no input mask applies
        const auto s = metrics::localisation(e, mask, o);
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(explain::methodDisplayName(explain::methodFromId(e.method)))));
        const double values[] = {s.irrelevantMass, s.massAccuracy, s.rankAccuracy, s.pointingGame};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(share(values[c]));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!std::isfinite(values[c]))
                item->setToolTip(tr("Undefined: no attribution of this sign to rank or weigh (try Score |attribution|)."));
            item->setData(Qt::UserRole, values[c]);
            m_table->setItem(row, c + 1, item);
        }
    }
    // As tall as its rows: the comparison below keeps the rest of the height.
    int h = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int r = 0; r < m_table->rowCount(); ++r)
        h += m_table->rowHeight(r);
    m_table->setFixedHeight(std::min(h, 220));
}

} // namespace senn::ui
