// The comparison of tabular explanations: a features × methods grid (SENN's θ, h and θ·h as
// columns), SENN's learned concepts in a grid of their own, the agreement between methods and
// one caption line per method.
#include "ui/plots/comparison_panel.h"

#include "core/explain/scale_group.h"
#include "core/explain/uncertainty.h"
#include "ui/plots/attribution_grid.h"
#include "ui/plots/comparison_internal.h"
#include "ui/plots/plot_style.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {
struct Attribution {
    QString name;
    std::vector<float> values;
};

// Per pair of methods: the Spearman ρ of |attribution| and the overlap of their top k, sized
// to its contents (it sits in the panel's grid, not in a scroll area of its own).
QTableWidget* makeAgreementTable(QWidget* parent, const std::vector<Attribution>& attrs, int k)
{
    auto* t = new QTableWidget(parent);
    t->setObjectName("agreementTable");
    t->setColumnCount(3);
    t->setHorizontalHeaderLabels(
        {QObject::tr("Methods"), QObject::tr("Spearman ρ"), QObject::tr("Top-%1 overlap").arg(k)});
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->setFocusPolicy(Qt::NoFocus);
    t->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    t->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    for (size_t a = 0; a < attrs.size(); ++a)
        for (size_t b = a + 1; b < attrs.size(); ++b) {
            const int r = t->rowCount();
            t->insertRow(r);
            const double rho = spearmanAbs(attrs[a].values, attrs[b].values);
            const double ov = topKOverlap(attrs[a].values, attrs[b].values, k);
            auto* pair = new QTableWidgetItem(attrs[a].name + QStringLiteral(" – ") + attrs[b].name);
            auto* rc = new QTableWidgetItem(std::isfinite(rho) ? QString::number(rho, 'f', 2) : QStringLiteral("–"));
            auto* oc = new QTableWidgetItem(std::isfinite(ov) ? QStringLiteral("%1/%2").arg(int(std::lround(ov * k))).arg(k)
                                                              : QStringLiteral("–"));
            rc->setData(Qt::UserRole, rho);
            oc->setData(Qt::UserRole, ov);
            rc->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            oc->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            t->setItem(r, 0, pair);
            t->setItem(r, 1, rc);
            t->setItem(r, 2, oc);
        }
    t->resizeColumnsToContents();
    t->resizeRowsToContents();
    t->horizontalHeader()->setStretchLastSection(false);
    int w = 2 * t->frameWidth() + 4, h = 2 * t->frameWidth() + t->horizontalHeader()->sizeHint().height();
    for (int c = 0; c < 3; ++c)
        w += t->columnWidth(c) + 12;
    for (int r = 0; r < t->rowCount(); ++r)
        h += t->rowHeight(r);
    for (int c = 0; c < 3; ++c)
        t->setColumnWidth(c, t->columnWidth(c) + 12);
    t->setFixedSize(w, h);
    return t;
}
} // namespace

void ComparisonPanel::rebuildTabular()
{
    const size_t d = !m_input.featureNames.empty() ? m_input.featureNames.size()
                                                   : m_explanations.front().values.size();
    QStringList names;
    for (size_t j = 0; j < d; ++j)
        names << (j < m_input.featureNames.size() ? QString::fromStdString(m_input.featureNames[j])
                                                  : QStringLiteral("x%1").arg(j));
    std::vector<GridColumn> features, concepts;
    QStringList conceptNames;
    std::vector<Attribution> attrs; // for the agreement table: one attribution per method
    int seedRuns = 0;               // the most seeds a column was repeated with (0: none)
    for (const auto& e : m_explanations) {
        const QString title = explanationLabel(e);
        if (isSennColumn(e)) {
            const bool onFeatures = e.values.size() == d;
            auto& to = onFeatures ? features : concepts;
            to.push_back({tr("SENN θ"), e.method, e.values, QString()});
            to.push_back({tr("SENN h"), e.method, e.h, QString()});
            const bool hasContribution = e.contribution.size() == e.values.size();
            if (hasContribution)
                to.push_back({tr("SENN θ·h"), e.method, e.contribution,
                              QString::fromStdString(senn::explain::contributionScaleGroup(e))});
            if (!onFeatures && conceptNames.isEmpty())
                for (size_t k = 0; k < e.values.size(); ++k)
                    conceptNames << (k < e.labels.size() ? QString::fromStdString(e.labels[k])
                                                         : QStringLiteral("h%1").arg(k + 1));
            if (onFeatures)
                attrs.push_back({hasContribution ? tr("SENN θ·h") : tr("SENN θ"),
                                 hasContribution ? e.contribution : e.values});
        } else if (e.values.size() == d) {
            GridColumn col{title, e.method, e.values, QString::fromStdString(senn::explain::scaleGroup(e))};
            col.low = e.intervalLow;
            col.high = e.intervalHigh;
            col.orderAgreement = e.orderAgreement;
            col.seedRuns = e.seedRuns;
            seedRuns = std::max(seedRuns, e.intervalLow.empty() ? 0 : e.seedRuns);
            features.push_back(std::move(col));
            attrs.push_back({title, e.values});
        } else {
            concepts.push_back({title, e.method, e.values, QString()});
            if (conceptNames.isEmpty())
                for (size_t k = 0; k < e.values.size(); ++k)
                    conceptNames << (k < e.labels.size() ? QString::fromStdString(e.labels[k])
                                                         : QStringLiteral("%1").arg(k + 1));
        }
    }
    int row = 0;
    auto sectionLabel = [this](const QString& text) {
        auto* l = new QLabel(text, this);
        l->setFont(plotLabelFont());
        l->setWordWrap(true);
        m_extra.push_back(l);
        return l;
    };
    if (!features.empty()) {
        m_featureGrid = new AttributionGrid(this);
        m_featureGrid->setTopK(m_topN);
        m_featureGrid->setSharedScale(!m_perMethod);
        m_featureGrid->setData(names, features);
        connect(m_featureGrid, &AttributionGrid::rowClicked, this, [this](int idx) {
            for (const auto& e : m_explanations)
                if (isSennColumn(e) && int(e.values.size()) == m_featureGrid->rowCount()) {
                    Q_EMIT conceptClicked(idx); // identity concepts: the feature is the concept
                    return;
                }
            Q_EMIT featureClicked(QString(), idx);
        });
        m_extra.push_back(m_featureGrid);
        m_grid->addWidget(m_featureGrid, row++, 0, 1, 2);
        m_gridNote = sectionLabel(QString());
        QFont nf = plotTickFont();
        m_gridNote->setFont(nf);
        m_grid->addWidget(m_gridNote, row++, 0, 1, 2);
        if (seedRuns > 1) {
            auto* legend = sectionLabel(
                tr("Error bars: 2.5% to 97.5% of each value over %1 seeds (how far another seed would move "
                   "it; not a confidence interval of the true attribution). ≈: order not significant over "
                   "%1 seeds: the feature stays above the next-ranked one of its column in fewer than %2% "
                   "of them.")
                    .arg(seedRuns)
                    .arg(std::lround(100 * senn::explain::kOrderSignificance)));
            legend->setObjectName("seedLegend");
            legend->setFont(nf);
            m_grid->addWidget(legend, row++, 0, 1, 2);
        }
    }
    if (!concepts.empty()) {
        m_grid->addWidget(sectionLabel(tr("<b>SENN concepts</b> (learned concepts, not the features)")), row++, 0, 1, 2);
        m_conceptGrid = new AttributionGrid(this);
        m_conceptGrid->setObjectName("conceptGrid");
        m_conceptGrid->setTopK(0);
        m_conceptGrid->setSharedScale(!m_perMethod);
        m_conceptGrid->setData(conceptNames, concepts);
        connect(m_conceptGrid, &AttributionGrid::rowClicked, this, &ComparisonPanel::conceptClicked);
        m_extra.push_back(m_conceptGrid);
        m_grid->addWidget(m_conceptGrid, row++, 0, 1, 2);
    }
    if (attrs.size() >= 2) {
        const int k = std::min<int>(5, int(d));
        m_grid->addWidget(sectionLabel(tr("<b>Agreement</b> between methods on this example: rank correlation "
                                          "of |attribution| and overlap of the top %1 features").arg(k)),
                          row++, 0, 1, 2);
        m_agreement = makeAgreementTable(this, attrs, k);
        m_extra.push_back(m_agreement);
        m_grid->addWidget(m_agreement, row++, 0, 1, 2, Qt::AlignLeft);
    }
    // One caption per method: time and diagnostics (R², Σφ, completeness gap).
    auto titleLabel = [this](const QString& text) {
        auto* l = new QLabel(text, this);
        QFont tf = plotTickFont();
        tf.setBold(true);
        l->setFont(tf);
        l->setAlignment(Qt::AlignRight | Qt::AlignTop);
        return l;
    };
    for (const auto& e : m_explanations) {
        Column col;
        col.title = titleLabel(explanationLabel(e));
        col.baseCaption = captionFor(e);
        col.caption = new QLabel(col.baseCaption, this);
        col.caption->setWordWrap(true);
        QFont cf = plotTickFont();
        col.caption->setFont(cf);
        col.caption->setToolTip(diagnosticsTooltip(e));
        col.group = QString::fromStdString(senn::explain::scaleGroup(e));
        m_grid->addWidget(col.title, row, 0);
        m_grid->addWidget(col.caption, row++, 1);
        m_columns.push_back(col);
    }
    m_grid->setColumnStretch(1, 1);
    m_grid->setRowStretch(row, 1);
    applyRanges();
}

} // namespace senn::ui
