// PaintedMaskPanel (painted_mask_panel.h): the brush over the explained example, Load and
// Clear, and the method x measure table that follows every stroke.
#include "ui/views/painted_mask_panel.h"

#include "ui/views/mask_painter.h"

#include "core/common/error.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace senn::ui {

std::vector<uint8_t> inputMaskFromPlane(const std::vector<float>& plane, const std::vector<int64_t>& shape)
{
    const auto [h, w] = samplePlane(shape);
    const int64_t n = int64_t(h) * w;
    const int64_t channels = shape.size() == 3 ? shape[0] : 1;
    if (n <= 0 || int64_t(plane.size()) != n)
        return {};
    std::vector<uint8_t> mask(size_t(n * channels), 0);
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t p = 0; p < n; ++p)
            mask[size_t(c * n + p)] = plane[size_t(p)] != 0.0f ? 1 : 0;
    return mask;
}

std::vector<PaintedMaskScore> scorePaintedMask(const std::vector<explain::Explanation>& explanations,
                                               const std::vector<uint8_t>& mask,
                                               const metrics::LocalisationOptions& options)
{
    std::vector<PaintedMaskScore> out;
    for (const auto& e : explanations)
        if (!mask.empty() && metrics::onInput(e, int64_t(mask.size())))
            out.push_back({e.method, metrics::localisation(e, mask, options)});
    return out;
}

PaintedMaskPanel::PaintedMaskPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName("paintedMaskPanel");
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    m_painter = new MaskPainter;
    m_painter->setObjectName("explainMaskPainter");
    m_painter->setFixedSize(170, 170);
    m_painter->setToolTip(tr("Paint where the features that matter are: drag with the left button. The right "
                             "button (or Erase) removes mask pixels."));
    l->addWidget(m_painter);
    auto* right = new QVBoxLayout;
    auto* buttons = new QHBoxLayout;
    m_load = new QPushButton(tr("Load mask…"));
    m_load->setObjectName("loadExplainMask");
    m_load->setToolTip(tr("A .npy array of the input's shape or a PNG of its height and width (nonzero = relevant)"));
    m_clear = new QPushButton(tr("Clear"));
    m_clear->setObjectName("clearExplainMask");
    m_erase = new QPushButton(tr("Erase"));
    m_erase->setObjectName("eraseExplainMask");
    m_erase->setCheckable(true);
    m_brush = new QSpinBox;
    m_brush->setObjectName("explainMaskBrush");
    m_brush->setRange(1, 20);
    m_brush->setValue(2);
    m_brush->setPrefix(tr("brush "));
    m_brush->setToolTip(tr("Radius of the brush in pixels"));
    m_topK = new QSpinBox;
    m_topK->setObjectName("explainMaskTopK");
    m_topK->setRange(0, 1 << 24);
    m_topK->setPrefix(tr("k = "));
    m_topK->setSpecialValueText(tr("k = mask size"));
    m_topK->setToolTip(tr("How many top-ranked features the top-k intersection looks at; "
                          "the mask's size when left at its minimum"));
    for (QWidget* b : {static_cast<QWidget*>(m_load), static_cast<QWidget*>(m_clear), static_cast<QWidget*>(m_erase),
                       static_cast<QWidget*>(m_brush), static_cast<QWidget*>(m_topK)})
        buttons->addWidget(b);
    buttons->addStretch(1);
    right->addLayout(buttons);
    m_hint = new QLabel;
    m_hint->setObjectName("explainMaskHint");
    m_hint->setWordWrap(true);
    right->addWidget(m_hint);
    m_table = new QTableWidget(0, 4);
    m_table->setObjectName("explainMaskTable");
    m_table->setHorizontalHeaderLabels({tr("Method"), tr("Relevance mass"), tr("Pointing game"), tr("Top-k intersection")});
    m_table->horizontalHeaderItem(1)->setToolTip(tr("Share of the attribution inside the mask: 1 is all of it."));
    m_table->horizontalHeaderItem(2)->setToolTip(tr("1 when the single top-ranked feature lies inside the mask."));
    m_table->horizontalHeaderItem(3)->setToolTip(tr("Share of the k top-ranked features inside the mask."));
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    right->addWidget(m_table, 1);
    l->addLayout(right, 1);
    setFixedHeight(176);

    m_painter->setBrush(m_brush->value());
    connect(m_brush, &QSpinBox::valueChanged, m_painter, &MaskPainter::setBrush);
    connect(m_erase, &QPushButton::toggled, m_painter, &MaskPainter::setEraseMode);
    connect(m_painter, &MaskPainter::stroked, this, [this] {
        rescore();
        emit maskChanged();
    });
    connect(m_clear, &QPushButton::clicked, this, &PaintedMaskPanel::clearMask);
    connect(m_topK, &QSpinBox::valueChanged, this, &PaintedMaskPanel::rescore);
    connect(m_load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load mask"), QString(),
                                                          tr("Masks (*.npy *.png *.jpg *.jpeg)"));
        QString error;
        if (!path.isEmpty() && !loadMask(path, &error))
            m_hint->setText(error.toHtmlEscaped());
    });
    rescore();
}

void PaintedMaskPanel::setResult(const ExplainResult& r, const std::vector<int64_t>& shape)
{
    m_last = r;
    if (shape != m_shape) {
        m_shape = shape;
        m_painter->setMask({}); // a mask of another shape means nothing here
    }
    // The painter keeps its mask while the example changes: a loaded mask (a fixed region)
    // applies to every example, and Clear removes a painted one.
    const auto [h, w] = samplePlane(shape);
    if (!r.input.empty() && int64_t(r.input.size()) >= int64_t(h) * w)
        m_painter->setImage(r.input, shape);
    rescore();
}

void PaintedMaskPanel::clearResult()
{
    m_last = {};
    rescore();
}

void PaintedMaskPanel::setAbsolute(bool absolute)
{
    m_absolute = absolute;
    rescore();
}

void PaintedMaskPanel::setMask(const std::vector<float>& rowMask)
{
    m_painter->setMask(rowMask);
    rescore();
    emit maskChanged();
}

void PaintedMaskPanel::clearMask()
{
    m_painter->setMask({});
    rescore();
    emit maskChanged();
}

bool PaintedMaskPanel::loadMask(const QString& path, QString* error)
{
    try {
        if (m_shape.empty())
            throw Error::inFile(path.toStdString(), "no example to lay the mask over", "Explain an example first");
        const auto mask = metrics::loadMaskFile(path.toStdString(), m_shape);
        setMask(std::vector<float>(mask.begin(), mask.end()));
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::vector<uint8_t> PaintedMaskPanel::mask() const
{
    const auto& plane = m_painter->mask();
    if (std::none_of(plane.begin(), plane.end(), [](float v) { return v != 0.0f; }))
        return {};
    return inputMaskFromPlane(plane, m_shape);
}

void PaintedMaskPanel::rescore()
{
    m_table->setRowCount(0);
    const auto input = mask();
    auto show = [this](const QString& text) {
        m_hint->setText(text);
        m_hint->setVisible(!text.isEmpty());
        m_table->setVisible(text.isEmpty());
    };
    if (m_last.explanations.empty())
        return show(tr("Explain the example, then paint (or load) a mask of where the features that matter "
                       "are: each method is scored against it."));
    if (input.empty())
        return show(tr("Paint a mask over the example (or load one) to score the methods against it."));
    if (std::all_of(input.begin(), input.end(), [](uint8_t v) { return v != 0; }))
        return show(tr("The mask covers the whole input: paint only the part that matters."));
    metrics::LocalisationOptions o;
    o.absolute = m_absolute;
    o.topK = m_topK->value();
    const auto scores = scorePaintedMask(m_last.explanations, input, o);
    if (scores.empty())
        return show(tr("None of the shown methods attributes to the input (SENN and FLINT explain with concepts)."));
    show({});
    for (const auto& s : scores) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        QString name;
        try {
            name = QString::fromStdString(explain::methodDisplayName(explain::methodFromId(s.method)));
        } catch (...) {
            name = QString::fromStdString(s.method);
        }
        m_table->setItem(row, 0, new QTableWidgetItem(name));
        const double values[] = {s.scores.massAccuracy, s.scores.pointingGame, s.scores.topKIntersection};
        for (int c = 0; c < 3; ++c) {
            auto* item = new QTableWidgetItem(std::isfinite(values[c]) ? QString::number(values[c], 'f', 3)
                                                                       : QStringLiteral("–"));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setData(Qt::UserRole, values[c]);
            if (!std::isfinite(values[c]))
                item->setToolTip(tr("Undefined: no attribution of this sign to rank or weigh (try Score |attribution|)."));
            m_table->setItem(row, c + 1, item);
        }
    }
    m_table->horizontalHeaderItem(3)->setText(tr("Top-k intersection (k = %1)").arg(scores.front().scores.k));
}

} // namespace senn::ui
