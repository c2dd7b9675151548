#include "ui/views/explainer_settings.h"

#include "core/explain/memory_budget.h"
#include "core/explain/uncertainty.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>

#include <cmath>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace senn::ui {

namespace {

QSpinBox* spin(int lo, int hi, const QString& special, const QString& tip)
{
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    if (!special.isEmpty())
        s->setSpecialValueText(special);
    s->setToolTip(tip);
    return s;
}

// "kmeans:10" -> ("kmeans", "10"); "" -> ("", "").
std::pair<QString, QString> splitBackground(const std::string& bg)
{
    const QString s = QString::fromStdString(bg);
    const int colon = s.indexOf(':');
    return colon < 0 ? std::make_pair(s, QString()) : std::make_pair(s.left(colon), s.mid(colon + 1));
}

// The spin box counts MB; 4 TB is beyond any machine this runs on.
constexpr int kMaxMemoryMb = 1 << 22;

} // namespace

QString withMemorySettingHint(const QString& message)
{
    if (!message.contains(QLatin1String("the memory budget is"))
        && !message.contains(QLatin1String("Not enough memory")))
        return message;
    return QObject::tr("%1 In SENN Studio the budget is Explain > Explainer settings… > Memory "
                       "for one job.").arg(message);
}

QJsonObject explainOptionsToJson(const explain::ExplainOptions& o, int seedRuns)
{
    QJsonObject j;
    j["background"] = QString::fromStdString(o.background);
    j["samples"] = o.samples;
    j["seed"] = QString::number(o.seed);
    j["lime_discretize"] = o.limeDiscretize;
    j["lime_features"] = o.limeFeatures;
    j["segmentation"] = QString::fromStdString(o.segmentation);
    j["segment_size"] = o.segmentSize;
    j["absolute_saliency"] = o.absoluteSaliency;
    j["ig_steps"] = o.igSteps;
    j["smoothgrad_samples"] = o.smoothGradSamples;
    j["smoothgrad_sigma"] = o.smoothGradSigma;
    j["occlusion_window"] = o.occlusionWindow;
    j["occlusion_stride"] = o.occlusionStride;
    j["shap_keep_features"] = o.shapKeepFeatures;
    j["permutations"] = o.permutations;
    j["model_output"] = QString::fromStdString(explain::outputId(o.output));
    j["memory_mb"] = qint64(o.memoryBudget >> 20); // 0: automatic
    j["seed_runs"] = std::clamp(seedRuns, 1, explain::kMaxSeedRuns);
    j["settings_version"] = kExplainerSettingsVersion;
    return j;
}

bool migrateStoredExplainerSettings(QJsonObject& j)
{
    const int version = j.value("settings_version").toInt(1);
    if (j.isEmpty() || version >= kExplainerSettingsVersion)
        return false;
    // Version 2: the logit is the default output.
    if (version < 2 && j.value("model_output").toString() == QLatin1String("probability"))
        j["model_output"] = QStringLiteral("logit");
    // Version 3: occlusion's window and stride follow the image size. The old fixed defaults
    // (4 and 2 pixels) become automatic; a size the user chose stays.
    if (j.value("occlusion_window").toInt() == 4 && j.value("occlusion_stride").toInt() == 2) {
        j["occlusion_window"] = 0;
        j["occlusion_stride"] = 0;
    }
    j["settings_version"] = kExplainerSettingsVersion;
    return true;
}

explain::ExplainOptions explainOptionsFromJson(const QJsonObject& j)
{
    explain::ExplainOptions o;
    auto integer = [&](const char* key, int def, int lo, int hi) {
        return std::clamp(j.value(key).toInt(def), lo, hi);
    };
    // From settings or a session file: only well-formed values (mean, zeros, kmeans:K and
    // sample:N with K, N in 1..100000) are taken; anything else keeps the default.
    const QString bg = j.value("background").toString().left(40);
    const auto [kind, arg] = splitBackground(bg.toStdString());
    bool countOk = false;
    const int n = arg.toInt(&countOk);
    if (bg.isEmpty() || ((kind == "mean" || kind == "zeros") && arg.isEmpty())
        || ((kind == "kmeans" || kind == "sample") && countOk && n >= 1 && n <= 100000))
        o.background = bg.toStdString();
    o.samples = integer("samples", o.samples, 0, 1000000);
    bool ok = false;
    const qulonglong seed = j.value("seed").toString().toULongLong(&ok);
    if (ok)
        o.seed = seed;
    o.limeDiscretize = j.value("lime_discretize").toBool(o.limeDiscretize);
    o.limeFeatures = integer("lime_features", o.limeFeatures, 0, 100000);
    const QString seg = j.value("segmentation").toString();
    if (seg == "slic" || seg == "grid")
        o.segmentation = seg.toStdString();
    o.segmentSize = integer("segment_size", o.segmentSize, 0, 512);
    o.absoluteSaliency = j.value("absolute_saliency").toBool(o.absoluteSaliency);
    o.igSteps = integer("ig_steps", o.igSteps, 1, 1000);
    o.smoothGradSamples = integer("smoothgrad_samples", o.smoothGradSamples, 1, 10000);
    const double sigma = j.value("smoothgrad_sigma").toDouble(o.smoothGradSigma);
    o.smoothGradSigma = std::isfinite(sigma) ? std::clamp(sigma, 0.0, 1.0) : o.smoothGradSigma;
    // 0: automatic, from the image's side (a 4-pixel window is 12,321 windows on a photo).
    o.occlusionWindow = integer("occlusion_window", o.occlusionWindow, 0, 512);
    o.occlusionStride = integer("occlusion_stride", o.occlusionStride, 0, 512);
    o.shapKeepFeatures = integer("shap_keep_features", o.shapKeepFeatures, 0, 100000);
    o.permutations = integer("permutations", o.permutations, 0, 100000);
    const QString out = j.value("model_output").toString();
    if (out == "probability" || out == "logit")
        o.output = explain::outputFromId(out.toStdString());
    o.memoryBudget = int64_t(integer("memory_mb", 0, 0, kMaxMemoryMb)) << 20;
    return o;
}

int seedRunsFromJson(const QJsonObject& j)
{
    return std::clamp(j.value("seed_runs").toInt(1), 1, explain::kMaxSeedRuns);
}

ExplainerSettingsDialog::ExplainerSettingsDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Explainer settings"));
    setObjectName("explainerSettings");

    // Shared
    auto* shared = new QGroupBox(tr("All sampling methods"));
    auto* sf = new QFormLayout(shared);
    m_seed = spin(0, 1 << 30, {}, tr("Seed of every random draw (LIME samples, KernelSHAP coalitions, "
                                     "SmoothGrad noise, permutations): the same seed gives the same explanation"));
    m_background = new QComboBox;
    m_background->addItem(tr("Method default (k-means 10 for LIME/SHAP, mean for gradients)"), QString());
    m_background->addItem(tr("k-means centres"), QStringLiteral("kmeans"));
    m_background->addItem(tr("Random sample of training rows"), QStringLiteral("sample"));
    m_background->addItem(tr("Training mean (one row)"), QStringLiteral("mean"));
    m_background->addItem(tr("Zeros (one row)"), QStringLiteral("zeros"));
    m_background->setToolTip(tr("Reference inputs of KernelSHAP / Shapley and the baseline of integrated "
                                "gradients and occlusion (in the raw input space)"));
    m_backgroundK = new QLineEdit(QStringLiteral("10"));
    m_backgroundK->setToolTip(tr("k of the k-means background, or the number of sampled rows"));
    m_backgroundK->setMaximumWidth(80);
    auto* bgRow = new QHBoxLayout;
    bgRow->addWidget(m_background, 1);
    bgRow->addWidget(new QLabel(tr("k / n:")));
    bgRow->addWidget(m_backgroundK);
    m_output = new QComboBox;
    m_output->setObjectName("explainedOutput");
    m_output->addItem(tr("Logit (default; SENN's θ·h sums to it)"), QStringLiteral("logit"));
    m_output->addItem(tr("Probability (as lime and shap users do with predict_proba)"), QStringLiteral("probability"));
    m_output->setToolTip(tr("The one output every method explains: LIME, KernelSHAP, Shapley, occlusion and "
                            "the gradient family (which then differentiates the softmax). SENN always "
                            "shows θ."));
    m_limeSamples = spin(0, 1000000, tr("method default"),
                         tr("LIME: perturbed samples (default 5000 tabular, 1000 image). KernelSHAP: "
                            "coalitions (default 2M + 2048)"));
    sf->addRow(tr("S&eed:"), m_seed);
    sf->addRow(tr("&Samples:"), m_limeSamples);
    sf->addRow(tr("Background:"), bgRow);
    sf->addRow(tr("Explained &output:"), m_output);
    m_seedRuns = spin(1, explain::kMaxSeedRuns, tr("1 seed (off)"),
                      tr("Repeat LIME, KernelSHAP, SmoothGrad and sampled Shapley with this many seeds: "
                         "each value gets an error bar from the 2.5% to the 97.5% quantile over the "
                         "seeds, and ≈ marks a feature whose order above the next one is kept in fewer "
                         "than 95% of them. Each explanation takes this many times as long; the other "
                         "methods have nothing random to repeat and run once."));
    m_seedRuns->setObjectName("seedRuns");
    m_seedRuns->setSuffix(tr(" seeds"));
    sf->addRow(tr("I&ntervals over:"), m_seedRuns);

    m_memory = spin(0, kMaxMemoryMb, tr("Automatic"),
                    tr("Memory one explain, stability or faithfulness job may use for its "
                       "batches. Automatic: half of the memory free when the job starts. A job "
                       "that cannot fit is refused before it starts, with the memory it needs; "
                       "a stability or faithfulness run shares it among its threads."));
    m_memory->setObjectName("memoryBudget");
    m_memory->setSuffix(tr(" MB"));
    m_memory->setSingleStep(256);
    sf->addRow(tr("&Memory for one job:"), m_memory);

    auto* lime = new QGroupBox(tr("LIME"));
    auto* lf = new QFormLayout(lime);
    m_limeSampling = new QComboBox;
    m_limeSampling->addItem(tr("Quartile discretizer (lime's default)"));
    m_limeSampling->addItem(tr("Continuous: normal around the training mean"));
    m_limeFeatures = spin(0, 100000, tr("all"), tr("Features in the local linear model ('auto' selection)"));
    m_segmentation = new QComboBox;
    m_segmentation->addItem(tr("SLIC superpixels"), QStringLiteral("slic"));
    m_segmentation->addItem(tr("Square grid"), QStringLiteral("grid"));
    m_segmentSize = spin(0, 512, tr("auto"), tr("SLIC region size / grid cell, in pixels"));
    lf->addRow(tr("Tabular sampling:"), m_limeSampling);
    lf->addRow(tr("&Features:"), m_limeFeatures);
    lf->addRow(tr("Image segments:"), m_segmentation);
    lf->addRow(tr("Segment size:"), m_segmentSize);

    auto* shap = new QGroupBox(tr("KernelSHAP and Shapley"));
    auto* hf = new QFormLayout(shap);
    m_shapKeep = spin(0, 100000, tr("all"),
                      tr("Keep only the top K features, chosen by least angle regression as shap's "
                         "l1_reg=\"num_features(K)\" (shap ≥ 0.47 keeps 10 by default); the others get 0"));
    m_permutations = spin(0, 100000, tr("exact when M ≤ 16"),
                          tr("Shapley: antithetic permutation samples instead of exact enumeration"));
    hf->addRow(tr("&Keep top features:"), m_shapKeep);
    hf->addRow(tr("Permutations:"), m_permutations);

    auto* grad = new QGroupBox(tr("Gradient family"));
    auto* gf = new QFormLayout(grad);
    m_absSaliency = new QCheckBox(tr("Saliency as |gradient| (off: signed)"));
    m_igSteps = spin(1, 1000, {}, tr("Gauss–Legendre nodes of integrated gradients"));
    m_smoothSamples = spin(1, 10000, {}, tr("Noisy copies SmoothGrad averages"));
    m_smoothSigma = new QDoubleSpinBox;
    m_smoothSigma->setRange(0.0, 1.0);
    m_smoothSigma->setSingleStep(0.05);
    m_smoothSigma->setDecimals(3);
    m_smoothSigma->setToolTip(tr("SmoothGrad noise as a fraction of the input range"));
    m_occWindow = spin(0, 512, tr("auto"),
                       tr("Occlusion patch size (pixels; features on tabular data). auto: a seventh "
                          "of the image side, at least 4 (4 on 28x28 digits, 32 on 224x224 photos)"));
    m_occStride = spin(0, 512, tr("auto"), tr("Occlusion stride. auto: half the window"));
    gf->addRow(m_absSaliency);
    gf->addRow(tr("&IG steps:"), m_igSteps);
    gf->addRow(tr("SmoothGrad samples:"), m_smoothSamples);
    gf->addRow(tr("SmoothGrad σ:"), m_smoothSigma);
    gf->addRow(tr("Occlusion window:"), m_occWindow);
    gf->addRow(tr("Occlusion stride:"), m_occStride);

    auto* grid = new QGridLayout;
    grid->addWidget(shared, 0, 0, 1, 2);
    grid->addWidget(lime, 1, 0);
    grid->addWidget(shap, 1, 1);
    grid->addWidget(grad, 2, 0, 1, 2);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                         QDialogButtonBox::RestoreDefaults);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] {
                setOptions(explain::ExplainOptions{});
                setSeedRuns(1);
            });
    connect(m_background, &QComboBox::currentIndexChanged, this, [this] {
        const QString kind = m_background->currentData().toString();
        m_backgroundK->setEnabled(kind == "kmeans" || kind == "sample");
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(buttons);
    setOptions(explain::ExplainOptions{});
}

void ExplainerSettingsDialog::setOptions(const explain::ExplainOptions& o)
{
    m_base = o;
    m_seed->setValue(int(std::min<uint64_t>(o.seed, uint64_t(m_seed->maximum()))));
    const auto [kind, k] = splitBackground(o.background);
    m_background->setCurrentIndex(std::max(0, m_background->findData(kind)));
    m_backgroundK->setText(k.isEmpty() ? (kind == "sample" ? QStringLiteral("100") : QStringLiteral("10")) : k);
    m_backgroundK->setEnabled(kind == "kmeans" || kind == "sample");
    m_output->setCurrentIndex(std::max(0, m_output->findData(QString::fromStdString(explain::outputId(o.output)))));
    m_limeSamples->setValue(o.samples);
    m_limeSampling->setCurrentIndex(o.limeDiscretize ? 0 : 1);
    m_limeFeatures->setValue(o.limeFeatures);
    m_segmentation->setCurrentIndex(std::max(0, m_segmentation->findData(QString::fromStdString(o.segmentation))));
    m_segmentSize->setValue(o.segmentSize);
    m_shapKeep->setValue(o.shapKeepFeatures);
    m_permutations->setValue(o.permutations);
    m_absSaliency->setChecked(o.absoluteSaliency);
    m_igSteps->setValue(o.igSteps);
    m_smoothSamples->setValue(o.smoothGradSamples);
    m_smoothSigma->setValue(o.smoothGradSigma);
    m_occWindow->setValue(o.occlusionWindow);
    m_occStride->setValue(o.occlusionStride);
    // What the automatic budget is now (each time the dialog opens), so a person knows what
    // a custom figure changes.
    const double autoGb = double(explain::automaticMemoryBudget()) / double(1 << 30);
    m_memory->setSpecialValueText(tr("Automatic (%1 GB: half of the %2 GB available)")
                                      .arg(autoGb, 0, 'f', 1).arg(2 * autoGb, 0, 'f', 1));
    m_memory->setValue(int(std::clamp<int64_t>(o.memoryBudget >> 20, 0, kMaxMemoryMb)));
}

void ExplainerSettingsDialog::setSeedRuns(int runs)
{
    m_seedRuns->setValue(std::clamp(runs, 1, explain::kMaxSeedRuns));
}

int ExplainerSettingsDialog::seedRuns() const { return m_seedRuns->value(); }

explain::ExplainOptions ExplainerSettingsDialog::options() const
{
    auto o = m_base;
    o.seed = uint64_t(m_seed->value());
    const QString kind = m_background->currentData().toString();
    if (kind == "kmeans" || kind == "sample") {
        const int k = std::max(1, m_backgroundK->text().toInt());
        o.background = QStringLiteral("%1:%2").arg(kind).arg(k).toStdString();
    } else {
        o.background = kind.toStdString();
    }
    o.output = explain::outputFromId(m_output->currentData().toString().toStdString());
    o.samples = m_limeSamples->value();
    o.limeDiscretize = m_limeSampling->currentIndex() == 0;
    o.limeFeatures = m_limeFeatures->value();
    o.segmentation = m_segmentation->currentData().toString().toStdString();
    o.segmentSize = m_segmentSize->value();
    o.shapKeepFeatures = m_shapKeep->value();
    o.permutations = m_permutations->value();
    o.absoluteSaliency = m_absSaliency->isChecked();
    o.igSteps = m_igSteps->value();
    o.smoothGradSamples = m_smoothSamples->value();
    o.smoothGradSigma = m_smoothSigma->value();
    o.occlusionWindow = m_occWindow->value();
    o.occlusionStride = m_occStride->value();
    o.memoryBudget = int64_t(m_memory->value()) << 20;
    return o;
}

} // namespace senn::ui
