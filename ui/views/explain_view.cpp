#include "ui/views/explain_view.h"

#include "core/train/trainer.h"

#include "ui/plots/comparison_panel.h"
#include "ui/plots/image_grid.h"
#include "ui/views/ground_truth_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QJsonObject>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace senn::ui {

using explain::Method;

ExplainView::ExplainView(QWidget* parent) : ViewPage("explain", tr("Explain"), parent)
{
    auto* split = new QSplitter(Qt::Horizontal);
    auto* left = new QWidget;
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    m_misclassified = new QCheckBox(tr("&Misclassified only"));
    m_misclassified->setObjectName("misclassifiedOnly");
    m_classFilter = new QComboBox;
    m_classFilter->setToolTip(tr("Show only examples of this true class"));
    m_list = new QListWidget;
    m_list->setObjectName("exampleList");
    m_list->setIconSize(QSize(36, 36));
    m_list->setUniformItemSizes(true);
    m_list->setToolTip(tr("Test examples: row, true label, prediction and confidence. "
                          "Arrow keys move; every view follows."));
    ll->addWidget(new QLabel(tr("<b>Test examples</b>")));
    ll->addWidget(m_misclassified);
    ll->addWidget(m_classFilter);
    ll->addWidget(m_list, 1);
    split->addWidget(left);

    auto* right = new QWidget;
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    auto* methodsBox = new QGroupBox(tr("Methods"));
    auto* ml = new QHBoxLayout(methodsBox);
    m_methods = new MethodPicker;
    ml->addWidget(m_methods, 1);
    auto* opts = new QVBoxLayout;
    m_auto = new QCheckBox(tr("A&uto"));
    m_auto->setChecked(true);
    m_auto->setToolTip(tr("Explain again whenever the example or the methods change"));
    m_shared = new QCheckBox(tr("Shared &scale"));
    m_shared->setObjectName("sharedScale");
    m_shared->setToolTip(tr("Off (default): each column has its own symmetric scale, ±its max |value|, "
                            "printed on its axis or colour bar. On: methods in the same unit (additive "
                            "attributions of the same output) share one scale, to compare magnitudes."));
    m_topK = new QComboBox;
    m_topK->setObjectName("topK");
    for (int k : {5, 10, 15, 20, 30, 50})
        m_topK->addItem(tr("Top %1").arg(k), k);
    m_topK->addItem(tr("All features"), 0);
    m_topK->setCurrentIndex(m_topK->findData(15));
    m_topK->setToolTip(tr("Tabular data: how many features the grid lists, by mean |attribution|"));
    m_underlayMode = new QComboBox;
    m_underlayMode->setObjectName("underlayMode");
    m_underlayMode->addItem(tr("Overlay on input"), true);
    m_underlayMode->addItem(tr("Side by side"), false);
    m_underlayMode->setToolTip(tr("Images: each heat map drawn over the input image, or on its own "
                                  "next to the Input column"));
    m_opacity = new QSlider(Qt::Horizontal);
    m_opacity->setObjectName("overlayOpacity");
    m_opacity->setRange(0, 100);
    m_opacity->setValue(80);
    m_opacity->setToolTip(tr("Images: how opaque the strongest attributions are over the input; "
                             "weaker ones are more transparent"));
    m_opacityLabel = new QLabel(tr("Opacity"));
    m_opacityLabel->setBuddy(m_opacity);
    auto* run = new QPushButton(tr("E&xplain"));
    run->setObjectName("explainButton");
    run->setShortcut(QKeySequence(tr("Ctrl+E")));
    run->setToolTip(tr("Explain the selected example with the checked methods (Ctrl+E)"));
    auto* settings = new QPushButton(tr("Se&ttings…"));
    settings->setObjectName("explainerSettingsButton");
    settings->setToolTip(tr("LIME samples, KernelSHAP background and kept features, IG steps, "
                            "SmoothGrad noise, occlusion window, seed (Ctrl+,)"));
    opts->addWidget(m_auto);
    opts->addWidget(m_shared);
    opts->addWidget(m_topK);
    opts->addWidget(m_underlayMode);
    auto* opacityRow = new QHBoxLayout;
    opacityRow->addWidget(m_opacityLabel);
    opacityRow->addWidget(m_opacity, 1);
    opts->addLayout(opacityRow);
    opts->addWidget(settings);
    opts->addWidget(run);
    ml->addLayout(opts);
    rl->addWidget(methodsBox);
    m_status = new QLabel;
    m_status->setObjectName("explainStatus");
    m_status->setWordWrap(true);
    rl->addWidget(m_status);
    m_autoNote = new QLabel;
    m_autoNote->setObjectName("autoNote");
    m_autoNote->setWordWrap(true);
    m_autoNote->setVisible(false);
    rl->addWidget(m_autoNote);
    m_truth = new GroundTruthPanel;
    rl->addWidget(m_truth);
    m_panel = new ComparisonPanel;
    auto* scroll = new QScrollArea;
    // Always there: a bar that comes and goes would change the width the columns are sized to.
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    rl->addWidget(scroll, 1);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({260, 1000});
    body()->addWidget(split, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        // Automatic requests only while the view is shown (showEvent catches up later).
        if (currentRow() < 0 || !isVisible())
            return;
        // Say which checked methods wait for Explain, and why.
        const auto chosen = m_methods->methods(), cheap = autoMethods();
        QStringList waiting;
        for (Method m : chosen)
            if (std::find(cheap.begin(), cheap.end(), m) == cheap.end()) {
                const double est = estimateSeconds(m);
                waiting << (est >= 0 ? tr("%1 (%2)").arg(QString::fromStdString(explain::methodDisplayName(m)),
                                                         MethodEstimates::formatSeconds(est))
                                     : QString::fromStdString(explain::methodDisplayName(m)));
            }
        m_autoNote->setText(waiting.isEmpty() ? QString()
                                              : tr("Not run automatically (slow or not measured yet): %1. "
                                                   "Press Explain to run them.").arg(waiting.join(QStringLiteral(", "))));
        m_autoNote->setVisible(!waiting.isEmpty());
        if (!cheap.empty()) {
            emit explainRequested(currentRow(), true);
        } else if (m_last.request.row != currentRow()) {
            // Nothing runs by itself: the previous example's maps must not stand for this one.
            m_panel->setInput(ExplainInput{});
            m_panel->clear();
            m_last = {};
            m_status->setText(tr("Row %1: press Explain to run the checked methods.").arg(currentRow()));
        }
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { scheduleExplain(); });
    connect(m_methods, &MethodPicker::changed, this, [this] {
        if (!m_kind.isEmpty())
            QSettings().setValue(QStringLiteral("explain/methods/") + m_kind, m_methods->checkedIds());
        scheduleExplain();
    });
    connect(run, &QPushButton::clicked, this, [this] {
        m_debounce->stop(); // a pending automatic request would replace this one
        m_autoNote->setVisible(false);
        if (currentRow() >= 0)
            emit explainRequested(currentRow(), false);
    });
    connect(m_underlayMode, &QComboBox::currentIndexChanged, this, [this] {
        const bool overlay = m_underlayMode->currentData().toBool();
        m_panel->setShowUnderlay(overlay);
        m_opacity->setEnabled(overlay);
    });
    connect(m_opacity, &QSlider::valueChanged, this, [this](int v) { m_panel->setOverlayOpacity(v / 100.0); });
    connect(settings, &QPushButton::clicked, this, &ExplainView::settingsRequested);
    connect(m_misclassified, &QCheckBox::toggled, this, &ExplainView::rebuildList);
    connect(m_classFilter, &QComboBox::currentIndexChanged, this, &ExplainView::rebuildList);
    connect(m_shared, &QCheckBox::toggled, m_panel, &ComparisonPanel::setSharedScale);
    connect(m_topK, &QComboBox::currentIndexChanged, this, [this] { m_panel->setTopN(m_topK->currentData().toInt()); });
    connect(m_panel, &ComparisonPanel::conceptClicked, this, &ExplainView::conceptClicked);
    setRunning(false);
}

void ExplainView::scheduleExplain()
{
    if (m_auto->isChecked() && modelFitsDataset(m_model, m_data))
        m_debounce->start();
}

QJsonObject ExplainView::settings() const
{
    QJsonObject o;
    o["shared_scale"] = m_shared->isChecked();
    o["top_k"] = m_topK->currentData().toInt();
    o["overlay"] = m_underlayMode->currentData().toBool();
    o["overlay_opacity"] = m_opacity->value();
    return o;
}

void ExplainView::applySettings(const QJsonObject& o)
{
    if (o.contains("shared_scale"))
        setSharedScale(o.value("shared_scale").toBool());
    if (o.contains("top_k"))
        setTopK(o.value("top_k").toInt());
    if (o.contains("overlay"))
        setOverlay(o.value("overlay").toBool());
    if (o.contains("overlay_opacity"))
        setOverlayOpacity(o.value("overlay_opacity").toInt(80));
}

void ExplainView::setOverlay(bool on) { m_underlayMode->setCurrentIndex(on ? 0 : 1); }

void ExplainView::setOverlayOpacity(int percent) { m_opacity->setValue(std::clamp(percent, 0, 100)); }

void ExplainView::setSharedScale(bool on) { m_shared->setChecked(on); }

void ExplainView::setTopK(int k)
{
    k = std::clamp(k, 0, 100000); // from a session file: any number may arrive
    int i = m_topK->findData(std::max(0, k));
    if (i < 0) {
        m_topK->addItem(tr("Top %1").arg(k), k);
        i = m_topK->count() - 1;
    }
    m_topK->setCurrentIndex(i);
}

void ExplainView::showEvent(QShowEvent* event)
{
    ViewPage::showEvent(event);
    // Shown after a training or an example change that happened elsewhere: explain now.
    const qint64 row = currentRow();
    if (row >= 0 && (m_last.explanations.empty() || m_last.request.row != row))
        scheduleExplain();
}

void ExplainView::setDataset(const DatasetSummary& s)
{
    m_data = s;
    m_truth->setDataset(s);
    const QSignalBlocker block(m_classFilter);
    m_classFilter->clear();
    m_classFilter->addItem(tr("All classes"), -1);
    for (size_t c = 0; c < s.data->classNames.size(); ++c)
        m_classFilter->addItem(tr("Class %1").arg(QString::fromStdString(s.data->classNames[c])), int(c));
    // "Top K" orders the tabular grid's rows; images have no such list: hidden for them.
    m_topK->setVisible(!s.data->isImage());
    m_underlayMode->setVisible(s.data->isImage());
    m_opacity->setVisible(s.data->isImage());
    m_opacityLabel->setVisible(s.data->isImage());
    // The method choice belongs to the kind of data: the slow tabular choice (KernelSHAP,
    // exact Shapley) must not follow the user to an image data set, and back.
    const QString kind = dataKind();
    if (kind != m_kind) {
        QSettings settings;
        if (!m_kind.isEmpty())
            settings.setValue(QStringLiteral("explain/methods/") + m_kind, m_methods->checkedIds());
        m_kind = kind;
        const QVariant saved = settings.value(QStringLiteral("explain/methods/") + kind);
        const QSignalBlocker blockPicker(m_methods);
        m_methods->setMethodIds(saved.isValid() ? saved.toStringList()
                                                : QStringList{"senn", "saliency", "integrated-gradients"});
    }
    m_estimates.setData(s.data);
    updateEstimates();
    // Nothing of the previous dataset stays on screen.
    m_panel->setInput(ExplainInput{});
    m_panel->clear();
    m_last = {};
    m_status->clear();
    setRunning(false);
    rebuildList();
}

void ExplainView::setModel(const ModelSummary& s)
{
    const qint64 keep = currentRow();
    m_model = s;
    m_truth->setModel(s);
    // The shown explanation was of the previous model: it goes (explained again when shown).
    m_panel->setInput(ExplainInput{});
    m_panel->clear();
    m_last = {};
    m_status->clear();
    setRunning(false);
    m_methods->setModelKind(s.isSenn, s.valid && s.meta.config.kind == models::ModelKind::Flint);
    setModelWarning(s.valid ? QString::fromStdString(train::thetaVariationWarning(s.meta)) : QString());
    m_estimates.forget();
    updateEstimates();
    rebuildList();
    if (keep >= 0)
        setCurrentRow(keep);
    scheduleExplain();
}

void ExplainView::rebuildList()
{
    const qint64 keep = currentRow();
    const QSignalBlocker block(m_list);
    m_list->clear();
    if (!m_data.data)
        return;
    const auto& d = *m_data.data;
    // A loaded model brings its own recorded split: list its test rows then.
    // Only a model that fits this dataset (classes, inputs, rows): after a dataset switch the
    // previous model's rows and predictions may not exist here.
    const bool havePred = modelFitsDataset(m_model, m_data) && !m_model.rows.empty();
    const auto& rows = havePred ? m_model.rows : m_data.testRows;
    m_misclassified->setEnabled(havePred);
    const int cls = m_classFilter->currentData().toInt();
    for (size_t i = 0; i < rows.size(); ++i) {
        const int64_t row = rows[i];
        if (row < 0 || row >= d.rows())
            continue;
        const int64_t y = d.y[size_t(row)];
        if (y < 0 || y >= d.numClasses())
            continue;
        if (cls >= 0 && y != cls)
            continue;
        QString text = QStringLiteral("#%1  %2").arg(row).arg(QString::fromStdString(d.classNames[size_t(y)]));
        bool wrong = false;
        if (havePred) {
            const int64_t p = m_model.predictions[i];
            wrong = p != y;
            if (m_misclassified->isChecked() && !wrong)
                continue;
            text += QStringLiteral(" → %1 (%2%)").arg(QString::fromStdString(d.classNames[size_t(p)]))
                        .arg(m_model.confidence[i] * 100, 0, 'f', 0);
        }
        auto* item = new QListWidgetItem(text);
        item->setData(Qt::UserRole, qint64(row));
        if (wrong)
            item->setForeground(QColor(200, 40, 40));
        if (d.isImage()) {
            std::vector<float> px(d.row(row), d.row(row) + d.featureCount());
            item->setIcon(QIcon(QPixmap::fromImage(floatImageToQImage(px, d.sampleShape))));
        }
        m_list->addItem(item);
    }
    if (!(keep >= 0 && setCurrentRow(keep)) && m_list->count() > 0)
        m_list->setCurrentRow(0);
}

qint64 ExplainView::currentRow() const
{
    const auto* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toLongLong() : -1;
}

bool ExplainView::setCurrentRow(qint64 row)
{
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toLongLong() == row) {
            m_list->setCurrentRow(i);
            return true;
        }
    return false;
}

int ExplainView::exampleCount() const { return m_list->count(); }

void ExplainView::setMisclassifiedOnly(bool on) { m_misclassified->setChecked(on); }

QString ExplainView::dataKind() const
{
    return !m_data.data ? QString() : m_data.data->isImage() ? QStringLiteral("image") : QStringLiteral("tabular");
}

void ExplainView::setExplainOptions(const explain::ExplainOptions& options)
{
    m_estimates.setOptions(options);
    updateEstimates();
}

void ExplainView::setSeedRuns(int runs)
{
    m_estimates.setSeedRuns(runs);
    updateEstimates();
}

int64_t ExplainView::estimatedRows(Method m) const { return m_estimates.rows(m); }
double ExplainView::estimateSeconds(Method m) const { return m_estimates.seconds(m); }

std::vector<Method> ExplainView::autoMethods() const
{
    std::vector<Method> out;
    for (Method m : m_methods->methods())
        if (m_estimates.runsAutomatically(m, kAutoBudgetSeconds))
            out.push_back(m);
    return out;
}

void ExplainView::updateEstimates()
{
    std::map<Method, QString> notes, tips;
    m_estimates.notes(kAutoBudgetSeconds, &notes, &tips);
    m_methods->setNotes(notes, tips);
}

void ExplainView::setRunning(bool running, const QString& message)
{
    if (running)
        m_status->setText(message.isEmpty() ? tr("Explaining…") : message);
    else if (!m_model.valid)
        m_status->setText(tr("Train or open a model to explain its predictions."));
    else if (!message.isEmpty())
        m_status->setText(message);
}

void ExplainView::setResult(const ExplainResult& r)
{
    if (!m_data.data)
        return;
    const auto& d = *m_data.data;
    // A result computed for another dataset (a switch while it ran) is not shown.
    if (r.request.row < 0 || r.request.row >= d.rows() || int64_t(r.input.size()) != d.featureCount())
        return;
    m_last = r;
    m_estimates.measure(r.explanations);
    updateEstimates();
    ExplainInput in;
    in.values = r.input;
    in.shape = d.sampleShape;
    in.isImage = d.isImage();
    in.row = r.request.row;
    in.featureNames = d.featureNames;
    const auto name = [&](int64_t c) { return c >= 0 && c < d.numClasses() ? QString::fromStdString(d.classNames[size_t(c)]) : QString("?"); };
    const double conf = r.prediction >= 0 && size_t(r.prediction) < r.probabilities.size()
        ? r.probabilities[size_t(r.prediction)] * 100.0 : 0.0;
    in.title = tr("Row %1 — true %2, predicted %3 (%4%)").arg(r.request.row).arg(name(r.label), name(r.prediction))
                   .arg(conf, 0, 'f', 1);
    m_panel->setInput(in);
    m_panel->setExplanations(r.explanations);
    m_truth->setResult(r);
    QString status = in.title;
    double total = 0;
    for (const auto& e : r.explanations)
        total += e.seconds;
    // Plural by count: %n lets a translation pick each count's form; untranslated, English
    // needs its two sources.
    const int count = int(r.explanations.size());
    status += (count == 1 ? tr(" · %n method in %1 s", nullptr, count) : tr(" · %n methods in %1 s", nullptr, count))
                  .arg(total, 0, 'f', 2);
    if (!r.failures.isEmpty())
        status += QStringLiteral("<br><span style='color:#c03030'>%1</span>").arg(r.failures.join("<br>").toHtmlEscaped());
    m_status->setText(status);
}

} // namespace senn::ui
