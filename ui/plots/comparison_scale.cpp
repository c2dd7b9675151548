// The comparison's ranges: each plot on its own symmetric scale, or, with the shared scale,
// methods whose values are in the same unit (core's scaleGroup) on one.
#include "ui/plots/comparison_panel.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/heatmap_view.h"

#include <QLabel>

#include <algorithm>

namespace senn::ui {

void ComparisonPanel::applyRanges()
{
    if (m_featureGrid || m_conceptGrid) { // tabular: the grids scale themselves
        if (m_gridNote && m_featureGrid)
            m_gridNote->setText(
                tr("%1 of %2 features, sorted by mean |attribution| (each column normalised to its max). "
                   "%3")
                    .arg(m_featureGrid->shownRows().size()).arg(m_featureGrid->rowCount())
                    .arg(m_perMethod ? tr("Each column has its own symmetric scale: ±max |value| over the "
                                          "features shown, under its title.")
                                     : tr("Shared scale: additive attributions of the same output share one "
                                          "bound (max |value| over the features shown); SENN's θ and h keep "
                                          "their own.")));
        return;
    }
    // One R per scale group (heat maps), and per kind of bar: additive attributions (post-hoc
    // bars and SENN's theta*h); SENN's theta; SENN's h.
    auto groupRange = [this](const Column& of) {
        double r = of.heatmap ? of.heatmap->maxAbsValue() : 0.0;
        if (!of.group.isEmpty())
            for (const Column& c : m_columns)
                if (c.heatmap && c.group == of.group)
                    r = std::max(r, c.heatmap->maxAbsValue());
        return r;
    };
    double heatR = 0, barR = 0, thetaR = 0, hR = 0;
    for (const Column& c : m_columns) {
        if (c.heatmap)
            heatR = std::max(heatR, c.heatmap->maxAbsValue());
        if (c.bars && c.hBars)
            thetaR = std::max(thetaR, c.bars->maxAbsValue());
        else if (c.bars)
            barR = std::max(barR, c.bars->maxAbsValue());
        if (c.contribution)
            barR = std::max(barR, c.contribution->maxAbsValue());
        if (c.hBars)
            hR = std::max(hR, c.hBars->maxAbsValue());
    }
    m_sharedRange = heatR > 0 ? heatR : barR;
    for (int i = 0; i < columnCount(); ++i) {
        const Column& c = m_columns[static_cast<size_t>(i)];
        if (c.heatmap) {
            const double r = groupRange(c);
            c.heatmap->setRange(m_perMethod || !(r > 0) ? 0.0 : r);
            // Its own scale: its own colour bar; a shared one: one bar, on the group's last map.
            bool lastOfGroup = true;
            for (int j = i + 1; j < columnCount(); ++j)
                if (m_columns[size_t(j)].heatmap && !c.group.isEmpty() && m_columns[size_t(j)].group == c.group)
                    lastOfGroup = false;
            const bool bar = m_perMethod || c.group.isEmpty() || lastOfGroup;
            c.heatmap->setColorBarVisible(bar);
        }
        if (c.bars) {
            const double r = c.hBars ? thetaR : barR;
            c.bars->setRange(m_perMethod || !(r > 0) ? 0.0 : r);
        }
        if (c.contribution)
            c.contribution->setRange(m_perMethod || !(barR > 0) ? 0.0 : barR);
        if (c.hBars)
            c.hBars->setRange(m_perMethod || !(hR > 0) ? 0.0 : hR);
        // On a shared scale a method far smaller than the largest of its group looks blank:
        // say how faint it is.
        if (c.caption) {
            QString text = c.baseCaption;
            const double own = c.heatmap ? c.heatmap->maxAbsValue() : (c.bars && !c.hBars ? c.bars->maxAbsValue() : -1.0);
            const double shared = c.heatmap ? groupRange(c) : barR;
            if (!m_perMethod && own >= 0 && shared > 0 && own < 0.1 * shared)
                text += tr(" · peak %1% of the shared scale (turn Shared scale off to see it)")
                            .arg(100.0 * own / shared, 0, own < 0.01 * shared ? 'g' : 'f', own < 0.01 * shared ? 2 : 0);
            c.caption->setText(text);
        }
    }
}

} // namespace senn::ui
