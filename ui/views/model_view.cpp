#include "ui/views/model_view.h"

#include "core/train/trainer.h"

#include "ui/plots/confusion_matrix_view.h"
#include "ui/plots/training_curves.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QThread>
#include <QVBoxLayout>

namespace senn::ui {

using models::ModelKind;

ModelView::ModelView(QWidget* parent) : ViewPage("model", tr("Model"), parent)
{
    auto* split = new QSplitter(Qt::Horizontal);
    auto* formBox = new QGroupBox(tr("Train a model"));
    auto* form = new QFormLayout(formBox);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_modelKind = new QComboBox;
    m_modelKind->setObjectName("modelKind");
    m_modelKind->addItem(tr("SENN (self-explaining)"), int(ModelKind::Senn));
    m_modelKind->addItem(tr("MLP (black box)"), int(ModelKind::Mlp));
    m_modelKind->addItem(tr("CNN (black box, images)"), int(ModelKind::Cnn));
    m_modelKind->addItem(tr("FLINT"), int(ModelKind::Flint));
    m_modelKind->setToolTip(tr("SENN explains itself through concepts h(x) and relevances θ(x). "
                               "MLP and CNN are black boxes explained only post hoc."));
    m_concepts = new QComboBox;
    m_concepts->addItem(tr("identity (one concept per feature)"), int(models::ConceptKind::Identity));
    m_concepts->addItem(tr("autoencoder (learned concepts)"), int(models::ConceptKind::Autoencoder));
    m_concepts->setToolTip(tr("identity: h(x) = x, so θ is a relevance per feature or pixel.\n"
                              "autoencoder: k concepts learned with a reconstruction and a "
                              "sparsity loss."));
    m_k = new QSpinBox;
    m_k->setRange(1, 512);
    m_k->setToolTip(tr("SENN: number of learned concepts (autoencoder only); 5 suits MNIST.\n"
                       "FLINT: number of attributes J of the interpreter; 25 suits MNIST."));
    m_lambda = new QLineEdit;
    m_lambda->setValidator(new QDoubleValidator(0, 1e6, 10, m_lambda));
    m_lambda->setToolTip(tr("λ, weight of the robustness penalty ‖∇f − θᵀJh‖. Larger: more stable "
                            "explanations, possibly lower accuracy. Typical 1e-4 … 1e-2."));
    m_penalty = new QComboBox;
    m_penalty->addItem(tr("exact (C backward passes)"), int(models::PenaltyMode::Exact));
    m_penalty->addItem(tr("fast (random projection)"), int(models::PenaltyMode::Fast));
    m_penalty->setToolTip(tr("exact: one vector-Jacobian product per class. fast: an unbiased "
                             "random-projection estimate, one backward pass per step."));
    m_epochs = new QSpinBox;
    m_epochs->setObjectName("epochs");
    m_epochs->setRange(1, 5000);
    m_epochs->setToolTip(tr("The most passes over the training split. Training stops sooner when "
                            "the validation split stops improving (patience); Keep epoch says "
                            "which epoch the model keeps."));
    m_patience = new QSpinBox;
    m_patience->setObjectName("patience");
    m_patience->setRange(0, 1000);
    m_patience->setSpecialValueText(tr("off (run every epoch)"));
    m_patience->setToolTip(tr("Early stopping: stop after this many epochs in a row with no "
                              "validation improvement (a better accuracy, or a lower validation "
                              "loss). The model card says why training stopped."));
    m_schedule = new QComboBox;
    m_schedule->setObjectName("lrSchedule");
    m_schedule->addItem(tr("halve on plateau"), QStringLiteral("plateau"));
    m_schedule->addItem(tr("cosine"), QStringLiteral("cosine"));
    m_schedule->addItem(tr("constant"), QStringLiteral("none"));
    m_schedule->setToolTip(tr("Learning-rate schedule. Plateau: halve the rate after a quarter of "
                              "the patience (at least 2 epochs) with no improvement, down to 1/100. "
                              "Cosine: from the rate to 0 over the maximum epochs."));
    m_keep = new QComboBox;
    m_keep->setObjectName("keepEpoch");
    m_keep->addItem(tr("best (lowest validation loss)"), QStringLiteral("best"));
    m_keep->addItem(tr("latest within one standard error of the best"), QStringLiteral("se"));
    m_keep->addItem(tr("last"), QStringLiteral("last"));
    m_keep->setToolTip(tr("Which epoch the trained model is. Best: the epoch whose validation "
                          "loss was lowest. Within one standard error: the latest epoch whose "
                          "validation loss is as low as the best's within its standard error "
                          "(the default of a tabular SENN: on a small validation split the "
                          "lowest loss is often the linear warm start by chance). Last: the "
                          "final epoch, to see what longer training does to the model and its "
                          "explanations."));
    m_biasConcept = new QCheckBox(tr("Add a constant concept"));
    m_biasConcept->setObjectName("biasConcept");
    m_biasConcept->setToolTip(tr("SENN with identity concepts only: one more concept that is "
                                 "always 1. Its relevance θ acts as an intercept that depends on "
                                 "the input, so the feature relevances need not absorb it."));
    m_batch = new QSpinBox;
    m_batch->setRange(1, 8192);
    m_batch->setToolTip(tr("Examples per optimisation step (Adam)."));
    m_lr = new QLineEdit;
    m_lr->setValidator(new QDoubleValidator(1e-8, 10, 10, m_lr));
    m_lr->setToolTip(tr("Adam learning rate. 1e-3 trains MNIST SENN in a few epochs."));
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setToolTip(tr("Seeds weight initialisation and batch order: same seed, same model."));
    m_threads = new QSpinBox;
    m_threads->setObjectName("threads");
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("auto (measured)"));
    m_threads->setToolTip(tr("LibTorch threads for training, and the points the stability and "
                             "faithfulness runs explain in parallel. Auto: training times one batch "
                             "with one thread and with all %1 cores and keeps the faster (small "
                             "models are faster on one); the runs use every core. Fewer threads "
                             "leave cores to other programs; results are reproducible for a given "
                             "seed and thread count.").arg(QThread::idealThreadCount()));

    form->addRow(tr("&Model:"), m_modelKind);
    form->addRow(tr("&Concepts:"), m_concepts);
    form->addRow(tr("Bias concept:"), m_biasConcept);
    form->addRow(tr("&k concepts / attributes:"), m_k);
    form->addRow(tr("&λ (robustness):"), m_lambda);
    form->addRow(tr("&Penalty:"), m_penalty);
    form->addRow(tr("Max &epochs:"), m_epochs);
    form->addRow(tr("Pa&tience:"), m_patience);
    form->addRow(tr("&Keep epoch:"), m_keep);
    form->addRow(tr("&Batch size:"), m_batch);
    form->addRow(tr("&Learning rate:"), m_lr);
    form->addRow(tr("LR sc&hedule:"), m_schedule);
    form->addRow(tr("See&d:"), m_seed);
    form->addRow(tr("T&hreads:"), m_threads);

    auto* buttons = new QHBoxLayout;
    m_train = new QPushButton(tr("&Train"));
    m_train->setObjectName("trainButton");
    m_train->setToolTip(tr("Train on the worker thread; the current model stays until the new "
                           "one is done (Ctrl+T)"));
    m_train->setShortcut(QKeySequence(tr("Ctrl+T")));
    m_cancel = new QPushButton(tr("C&ancel"));
    m_cancel->setObjectName("cancelTrainButton");
    m_cancel->setToolTip(tr("Stop training; the last good model is kept"));
    m_defaults = new QPushButton(tr("De&faults"));
    m_defaults->setToolTip(tr("Reset the form to the defaults for this kind of data"));
    buttons->addWidget(m_train);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    buttons->addWidget(m_defaults);
    form->addRow(buttons);

    connect(m_train, &QPushButton::clicked, this, [this] { emit trainRequested(modelConfig(), trainConfig()); });
    connect(m_cancel, &QPushButton::clicked, this, &ModelView::cancelRequested);
    connect(m_defaults, &QPushButton::clicked, this, &ModelView::applyDefaults);
    connect(m_modelKind, &QComboBox::activated, this, [this] { applyDefaults(); });
    connect(m_concepts, &QComboBox::currentIndexChanged, this, &ModelView::updateEnabled);

    auto* right = new QTabWidget;
    m_curves = new TrainingCurves;
    m_curves->setTitle(tr("Training"));
    m_curves->setExportName("training");
    right->addTab(m_curves, tr("Training &curves"));
    auto* cardPage = new QSplitter(Qt::Vertical);
    m_card = new QTextBrowser;
    m_card->setObjectName("modelCard");
    m_confusion = new ConfusionMatrixView;
    m_confusion->setTitle(tr("Confusion matrix (test split)"));
    m_confusion->setExportName("confusion");
    cardPage->addWidget(m_card);
    cardPage->addWidget(m_confusion);
    right->addTab(cardPage, tr("Model c&ard"));

    split->addWidget(formBox);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({340, 900});
    body()->addWidget(split, 1);
    m_card->setHtml(tr("<p>No model yet. Train one with the form, or open a model file "
                       "(File > Open model…).</p>"));
    applyDefaults();
}

void ModelView::setDataset(const DatasetSummary& s)
{
    const bool kindChanged = !m_hasData || s.data->kind != m_kind || s.data->featureCount() != m_features;
    m_kind = s.data->kind;
    m_features = s.data->featureCount();
    m_hasData = true;
    if (kindChanged)
        applyDefaults();
    updateEnabled();
}

void ModelView::applyDefaults()
{
    const auto kind = ModelKind(m_modelKind->currentData().toInt());
    const auto mc = models::ModelConfig::defaultsFor(m_kind, kind, std::max<int64_t>(m_features, 1));
    const auto tc = models::TrainConfig::defaultsFor(m_kind, kind);
    m_concepts->setCurrentIndex(m_concepts->findData(int(mc.concepts)));
    m_k->setValue(kind == ModelKind::Flint ? mc.attributes : mc.k);
    m_lambda->setText(QString::number(mc.lambda, 'g', 6));
    m_penalty->setCurrentIndex(m_penalty->findData(int(mc.penalty)));
    m_epochs->setValue(tc.epochs);
    m_patience->setValue(tc.patience);
    m_schedule->setCurrentIndex(std::max(0, m_schedule->findData(QString::fromStdString(tc.schedule))));
    m_keep->setCurrentIndex(std::max(0, m_keep->findData(QString::fromStdString(tc.keep))));
    m_biasConcept->setChecked(mc.biasConcept);
    m_batch->setValue(tc.batch);
    m_lr->setText(QString::number(tc.lr, 'g', 6));
    m_seed->setValue(int(tc.seed));
    updateEnabled();
}

void ModelView::updateEnabled()
{
    const auto kind = ModelKind(m_modelKind->currentData().toInt());
    const bool senn = kind == ModelKind::Senn;
    m_concepts->setEnabled(senn && !m_training);
    m_k->setEnabled(!m_training && ((senn && m_concepts->currentData().toInt() ==
                                                 int(models::ConceptKind::Autoencoder)) ||
                                     kind == ModelKind::Flint));
    m_biasConcept->setEnabled(!m_training && senn
                              && m_concepts->currentData().toInt() == int(models::ConceptKind::Identity));
    m_lambda->setEnabled(senn && !m_training);
    m_penalty->setEnabled(senn && !m_training);
    m_patience->setEnabled(!m_training);
    m_schedule->setEnabled(!m_training);
    m_keep->setEnabled(!m_training);
    m_train->setEnabled(m_hasData && !m_training);
    m_cancel->setEnabled(m_training);
    m_modelKind->setEnabled(!m_training);
    m_defaults->setEnabled(!m_training);
}

models::ModelConfig ModelView::modelConfig() const
{
    const auto kind = ModelKind(m_modelKind->currentData().toInt());
    auto c = models::ModelConfig::defaultsFor(m_kind, kind, std::max<int64_t>(m_features, 1));
    c.kind = kind;
    c.concepts = models::ConceptKind(m_concepts->currentData().toInt());
    if (kind == ModelKind::Flint)
        c.attributes = m_k->value();
    else
        c.k = m_k->value();
    bool ok = false;
    const double lambda = m_lambda->text().toDouble(&ok);
    if (ok)
        c.lambda = lambda;
    c.penalty = models::PenaltyMode(m_penalty->currentData().toInt());
    // The trainer refuses a bias concept on learned concepts or a black box.
    c.biasConcept = kind == ModelKind::Senn && c.concepts == models::ConceptKind::Identity
                    && m_biasConcept->isChecked();
    return c;
}

models::TrainConfig ModelView::trainConfig() const
{
    auto t = models::TrainConfig::defaultsFor(m_kind, ModelKind(m_modelKind->currentData().toInt()));
    t.epochs = m_epochs->value();
    t.patience = m_patience->value();
    t.schedule = m_schedule->currentData().toString().toStdString();
    t.keep = m_keep->currentData().toString().toStdString();
    t.batch = m_batch->value();
    bool ok = false;
    const double lr = m_lr->text().toDouble(&ok);
    if (ok && lr > 0)
        t.lr = lr;
    t.seed = uint64_t(m_seed->value());
    t.threads = m_threads->value(); // 0: measured by the trainer
    return t;
}

void ModelView::setEpochs(int epochs) { m_epochs->setValue(epochs); }

void ModelView::setModelKind(ModelKind kind)
{
    m_modelKind->setCurrentIndex(m_modelKind->findData(int(kind)));
    applyDefaults();
}

void ModelView::setTraining(bool running)
{
    m_training = running;
    if (running)
        m_curves->clear();
    updateEnabled();
}

void ModelView::addProgress(const train::BatchReport& r)
{
    m_curves->addBatch(r);
}

void ModelView::setModel(const ModelSummary& s)
{
    m_summary = s;
    m_previousAccuracy = -1;
    renderCard();
}

void ModelView::setModelPath(const QString& path)
{
    m_summary.path = path;
    renderCard();
}

void ModelView::setPreviousAccuracy(double previousAccuracy)
{
    m_previousAccuracy = previousAccuracy;
    renderCard();
}

void ModelView::showHistoryOf(const ModelSummary& s)
{
    if (s.valid && !s.meta.history.empty())
        m_curves->setHistory(s.meta.history);
    else
        m_curves->clear();
}

void ModelView::renderCard()
{
    const ModelSummary& s = m_summary;
    if (!s.valid) {
        m_card->setHtml(tr("<p>No model. Train one with the form, or open a model file.</p>"));
        m_confusion->setMatrix({}, {});
        return;
    }
    const auto& m = s.meta;
    QString html;
    html += tr("<h3>%1 model%2</h3>").arg(QString::fromStdString(models::toString(m.config.kind)).toUpper(),
                                         s.path.isEmpty() ? tr(" (not saved)")
                                                          : QStringLiteral(" — %1").arg(QFileInfo(s.path).fileName().toHtmlEscaped()));
    html += QStringLiteral("<p>%1</p>").arg(s.description.toHtmlEscaped());
    html += tr("<p><b>Data:</b> %1 (target %2), %3 classes, input shape [%4]")
                .arg(QString::fromStdString(m.dataSource).toHtmlEscaped(),
                     QString::fromStdString(m.targetName.empty() ? "-" : m.targetName).toHtmlEscaped())
                .arg(m.classNames.size())
                .arg([&] { QStringList l; for (auto v : m.inputShape) l << QString::number(v); return l.join(", "); }());
    if (!m.transforms.empty())
        html += tr(", transforms %1").arg(QString::fromStdString(m.transforms.front()));
    html += QStringLiteral("</p>");
    // An imported TorchScript model was trained elsewhere: its meta holds only defaults, and
    // "0 of at most 10 epochs, best epoch -1" would be invented facts.
    if (s.torchScript)
        html += tr("<p><b>Training:</b> imported TorchScript model; trained outside SENN Studio</p>");
    else
        html += tr("<p><b>Training:</b> %1 of at most %2 epochs (patience %3), batch %4, lr %5 (%6 schedule), "
                   "seed %7; λ %8, penalty %9; best epoch %10</p>")
                    .arg(m.history.size()).arg(m.train.epochs)
                    .arg(m.train.patience > 0 ? QString::number(m.train.patience) : tr("off"))
                    .arg(m.train.batch).arg(m.train.lr)
                    .arg(QString::fromStdString(m.train.schedule)).arg(m.train.seed)
                    .arg(m.config.lambda).arg(QString::fromStdString(models::toString(m.config.penalty)))
                    .arg(m.bestEpoch);
    if (!m.stopReason.empty() && !s.torchScript)
        html += tr("<p><b>Stopped:</b> %1</p>").arg(QString::fromStdString(m.stopReason).toHtmlEscaped());
    if (const auto kept = train::keptEpochText(m); !kept.empty() && !s.torchScript)
        html += tr("<p><b>Kept:</b> %1</p>").arg(QString::fromStdString(kept).toHtmlEscaped());
    if (const auto w = train::thetaVariationWarning(m); !w.empty())
        html += tr("<p style=\"color:#8a4b00\"><b>Warning:</b> %1</p>").arg(QString::fromStdString(w).toHtmlEscaped());
    // A logistic regression is trained beside every model on the same split, so the
    // card always says whether the model is competitive with a plain linear one.
    const auto base = m.metrics.find("baseline_accuracy");
    const auto test = m.metrics.find("test_accuracy");
    if (base != m.metrics.end() && base->second >= 0) {
        html += tr("<p><b>Baseline:</b> logistic regression on the same split: <b>%1%</b>")
                    .arg(base->second * 100, 0, 'f', 2);
        if (test != m.metrics.end())
            html += tr("; this model <b>%1%</b> (%2%3 points)")
                        .arg(test->second * 100, 0, 'f', 2)
                        .arg(test->second >= base->second ? QStringLiteral("+") : QString())
                        .arg((test->second - base->second) * 100, 0, 'f', 2);
        html += QStringLiteral("</p>");
    }
    html += tr("<p><b>Metrics:</b> ");
    QStringList metrics;
    for (const auto& [k, v] : m.metrics)
        metrics << QStringLiteral("%1 = %2").arg(QString::fromStdString(k)).arg(v, 0, 'g', 4);
    if (s.hasData && s.test.n > 0)
        metrics << tr("test accuracy now = <b>%1%</b> on %2 rows").arg(s.test.accuracy * 100, 0, 'f', 2).arg(s.test.n);
    html += metrics.isEmpty() ? tr("none recorded") : metrics.join("; ");
    html += QStringLiteral("</p>");
    if (m_previousAccuracy >= 0 && s.hasData && s.test.n > 0)
        html += tr("<p>Previous model: %1% test accuracy; this one: %2%.</p>")
                    .arg(m_previousAccuracy * 100, 0, 'f', 2).arg(s.test.accuracy * 100, 0, 'f', 2);
    if (!s.hasData)
        html += tr("<p><i>Open the model's dataset to evaluate and explain it.</i></p>");
    m_card->setHtml(html);
    if (s.hasData && !s.test.confusion.empty())
        m_confusion->setMatrix(s.test.confusion, m.classNames);
}

QJsonObject ModelView::settings() const
{
    QJsonObject o;
    o["model"] = m_modelKind->currentData().toInt();
    o["concepts"] = m_concepts->currentData().toInt();
    o["k"] = m_k->value();
    o["lambda"] = m_lambda->text();
    o["penalty"] = m_penalty->currentData().toInt();
    o["epochs"] = m_epochs->value();
    o["patience"] = m_patience->value();
    o["lrSchedule"] = m_schedule->currentData().toString();
    o["keep"] = m_keep->currentData().toString();
    o["biasConcept"] = m_biasConcept->isChecked();
    o["batch"] = m_batch->value();
    o["lr"] = m_lr->text();
    o["seed"] = m_seed->value();
    o["threads"] = m_threads->value();
    return o;
}

void ModelView::applySettings(const QJsonObject& o)
{
    if (o.isEmpty())
        return;
    m_modelKind->setCurrentIndex(std::max(0, m_modelKind->findData(o["model"].toInt())));
    m_concepts->setCurrentIndex(std::max(0, m_concepts->findData(o["concepts"].toInt())));
    m_k->setValue(o["k"].toInt(m_k->value()));
    m_lambda->setText(o["lambda"].toString(m_lambda->text()));
    m_penalty->setCurrentIndex(std::max(0, m_penalty->findData(o["penalty"].toInt())));
    m_epochs->setValue(o["epochs"].toInt(m_epochs->value()));
    m_patience->setValue(o["patience"].toInt(m_patience->value()));
    if (o.contains("lrSchedule"))
        m_schedule->setCurrentIndex(std::max(0, m_schedule->findData(o["lrSchedule"].toString())));
    if (o.contains("keep"))
        m_keep->setCurrentIndex(std::max(0, m_keep->findData(o["keep"].toString())));
    m_biasConcept->setChecked(o["biasConcept"].toBool(m_biasConcept->isChecked()));
    m_batch->setValue(o["batch"].toInt(m_batch->value()));
    m_lr->setText(o["lr"].toString(m_lr->text()));
    m_seed->setValue(o["seed"].toInt(m_seed->value()));
    m_threads->setValue(o["threads"].toInt(m_threads->value()));
    updateEnabled();
}

} // namespace senn::ui
