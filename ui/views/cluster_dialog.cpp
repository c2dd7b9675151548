// The cluster dialog (cluster_dialog.h): its fields become a jobs::SlurmPlan; the calibration
// and the writing run on the worker's thread and the answer comes back queued.
#include "ui/views/cluster_dialog.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/jobs/calibration.h"
#include "core/jobs/slurm_script.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace senn::ui {

namespace {

std::vector<std::string> toStd(const QStringList& list)
{
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(s.toStdString());
    return out;
}

} // namespace

ClusterDialog::ClusterDialog(const ClusterRunSpec& spec, QObject* worker, QWidget* parent)
    : QDialog(parent), m_spec(spec), m_worker(worker)
{
    setObjectName("clusterDialog");
    setWindowTitle(tr("Run %1 on a cluster").arg(spec.command));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Splits the run's %1 points into the tasks of a Slurm array; a merge job "
                                "joins their results into merged.json, which File > Open results… shows "
                                "here. Each task runs the view's run with the app's settings (the view's and "
                                "the explainer settings):")
                                 .arg(spec.points));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    // Lines of whole options, continued shell-style: a wrapped label would break at hyphens.
    QStringList words{"senn " + spec.command};
    for (const auto& a : spec.args) {
        const QString quoted = QString::fromStdString(jobs::shellQuote(a.toStdString()));
        if (a.startsWith("--") || words.size() == 1 || !words.back().startsWith("--") || words.back().contains(' '))
            words << quoted;
        else
            words.back() += ' ' + quoted;
    }
    QStringList lines{words.front()};
    for (int i = 1; i < words.size(); ++i) {
        if (lines.back().size() + 1 + words[i].size() > 84) {
            lines.back() += " \\";
            lines << "    " + words[i];
        } else {
            lines.back() += ' ' + words[i];
        }
    }
    m_taskCommand = new QLabel(lines.join('\n'));
    m_taskCommand->setTextFormat(Qt::PlainText);
    m_taskCommand->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_taskCommand->setObjectName("clusterTaskCommand");
    m_taskCommand->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_taskCommand->setToolTip(tr("The shard, thread and output options are added per task"));
    layout->addWidget(m_taskCommand);
    if (!spec.notCarried.isEmpty()) {
        // Never dropped silently: the tasks compute these with the command line's defaults.
        auto* missing = new QLabel(tr("<b>Not carried</b> (the tasks use the command line's default): %1.")
                                       .arg(spec.notCarried.join(", ").toHtmlEscaped()));
        missing->setObjectName("clusterNotCarried");
        missing->setWordWrap(true);
        layout->addWidget(missing);
    }

    auto* form = new QFormLayout;
    m_tasks = new QSpinBox;
    m_tasks->setObjectName("clusterTasks");
    m_tasks->setRange(1, std::max(1, spec.points));
    m_tasks->setValue(std::min(10, std::max(1, spec.points)));
    m_tasks->setToolTip(tr("Array tasks: each measures every Nth point (--shard K/N)"));
    m_cpus = new QSpinBox;
    m_cpus->setObjectName("clusterCpus");
    m_cpus->setRange(1, 256);
    m_cpus->setToolTip(tr("CPUs per task, also the points each task runs in parallel (--threads)"));
    m_partition = new QLineEdit;
    m_partition->setObjectName("clusterPartition");
    m_partition->setPlaceholderText(tr("the cluster's default"));
    m_account = new QLineEdit;
    m_account->setObjectName("clusterAccount");
    m_account->setPlaceholderText(tr("none"));
    m_extra = new QLineEdit;
    m_extra->setObjectName("clusterExtra");
    m_extra->setPlaceholderText(tr("e.g. --qos=short --constraint=avx2"));
    m_extra->setToolTip(tr("More sbatch options, separated by spaces; each becomes an #SBATCH line"));
    m_outDir = new QLineEdit(spec.defaultOutDir);
    m_outDir->setObjectName("clusterOutDir");
    m_outDir->setToolTip(tr("The scripts, the shards' results, the logs and merged.json go here; it "
                            "must be on a disk the cluster's nodes see"));
    auto* browse = new QPushButton(tr("Browse…"));
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_outDir, 1);
    outRow->addWidget(browse);
    m_time = new QLineEdit;
    m_time->setObjectName("clusterTime");
    m_time->setPlaceholderText(tr("calibrated"));
    m_time->setToolTip(tr("Minutes or D-HH:MM:SS; empty: measured by a calibration run here"));
    m_memory = new QLineEdit;
    m_memory->setObjectName("clusterMemory");
    m_memory->setPlaceholderText(tr("calibrated"));
    m_memory->setToolTip(tr("Megabytes, or with K, M, G or T (e.g. 4G); empty: measured by a calibration run here"));
    m_calibrate = new QSpinBox;
    m_calibrate->setObjectName("clusterCalibrationPoints");
    m_calibrate->setRange(1, std::max(1, spec.points));
    m_calibrate->setValue(std::min(4, std::max(1, spec.points)));
    m_calibrate->setToolTip(tr("Points of the calibration run, timed here to size each task"));
    form->addRow(tr("&Tasks:"), m_tasks);
    form->addRow(tr("&CPUs per task:"), m_cpus);
    form->addRow(tr("&Partition:"), m_partition);
    form->addRow(tr("&Account:"), m_account);
    form->addRow(tr("&Extra sbatch options:"), m_extra);
    form->addRow(tr("Output folder:"), outRow); // a layout takes no mnemonic buddy
    form->addRow(tr("T&ime per task:"), m_time);
    form->addRow(tr("&Memory per task:"), m_memory);
    form->addRow(tr("Ca&libration points:"), m_calibrate);
    layout->addLayout(form);

    m_status = new QLabel;
    m_status->setObjectName("clusterStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_command = new QLabel(tr("Then run on the cluster:"));
    layout->addWidget(m_command);
    auto* submitRow = new QHBoxLayout;
    m_submit = new QLineEdit;
    m_submit->setObjectName("clusterSubmit");
    m_submit->setReadOnly(true);
    m_copy = new QPushButton(tr("Copy"));
    m_copy->setEnabled(false);
    submitRow->addWidget(m_submit, 1);
    submitRow->addWidget(m_copy);
    layout->addLayout(submitRow);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_save = buttons->addButton(tr("Calibrate and &save scripts"), QDialogButtonBox::ActionRole);
    m_save->setObjectName("clusterSave");
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), m_outDir->text());
        if (!dir.isEmpty())
            m_outDir->setText(dir);
    });
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_submit->text()); });
    connect(m_save, &QPushButton::clicked, this, &ClusterDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &ClusterDialog::reject);
    auto updateSave = [this] {
        const bool given = !m_time->text().trimmed().isEmpty() && !m_memory->text().trimmed().isEmpty();
        m_save->setText(given ? tr("&Save scripts") : tr("Calibrate and &save scripts"));
    };
    connect(m_time, &QLineEdit::textChanged, this, updateSave);
    connect(m_memory, &QLineEdit::textChanged, this, updateSave);
    setMinimumWidth(640); // the paths stay readable when the notes make it grow
}

ClusterDialog::~ClusterDialog()
{
    m_cancel.cancel(); // a calibration still running ends its child process
}

void ClusterDialog::setTasks(int tasks) { m_tasks->setValue(tasks); }
void ClusterDialog::setOutputDir(const QString& dir) { m_outDir->setText(dir); }
void ClusterDialog::setPartition(const QString& partition) { m_partition->setText(partition); }
void ClusterDialog::setAccount(const QString& account) { m_account->setText(account); }
void ClusterDialog::setExtraOptions(const QString& options) { m_extra->setText(options); }
void ClusterDialog::setCalibrationPoints(int points) { m_calibrate->setValue(points); }

void ClusterDialog::setTimeAndMemory(const QString& time, const QString& memory)
{
    m_time->setText(time);
    m_memory->setText(memory);
}

QString ClusterDialog::submitLine() const { return m_submit->text(); }
QString ClusterDialog::statusText() const { return m_status->text(); }

void ClusterDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_save->setEnabled(!busy);
}

void ClusterDialog::reject()
{
    m_cancel.cancel();
    QDialog::reject();
}

void ClusterDialog::save()
{
    if (m_busy)
        return;
    jobs::SlurmPlan plan;
    QString time = m_time->text().trimmed(), memory = m_memory->text().trimmed();
    int64_t minutes = 0, memoryMb = 0;
    QString outDir = QDir::cleanPath(m_outDir->text().trimmed());
    try {
        if (outDir.isEmpty())
            throw Error("choose an output folder");
        outDir = QFileInfo(outDir).absoluteFilePath();
        plan.senn = m_spec.senn.toStdString();
        plan.command = m_spec.command.toStdString();
        plan.args = toStd(m_spec.args);
        plan.outDir = outDir.toStdString();
        plan.tasks = m_tasks->value();
        plan.cpusPerTask = m_cpus->value();
        plan.partition = m_partition->text().trimmed().toStdString();
        plan.account = m_account->text().trimmed().toStdString();
        plan.sbatchOptions = toStd(m_extra->text().split(QRegularExpression("\\s+"), Qt::SkipEmptyParts));
        if (!time.isEmpty())
            minutes = jobs::parseSlurmMinutes(time.toStdString());
        if (!memory.isEmpty())
            memoryMb = jobs::parseSlurmMemoryMb(memory.toStdString());
        if (!QFileInfo(QFileInfo(outDir).absolutePath()).isDir())
            throw Error::inFile(QFileInfo(outDir).absolutePath().toStdString(), "the output folder's parent does not exist");
    } catch (const std::exception& e) {
        m_status->setText(QString::fromStdString(files::cleanMessage(e.what())));
        emit failed(m_status->text());
        return;
    }
    const bool calibrate = minutes == 0 || memoryMb == 0;
    const int points = m_spec.points, calibrationPoints = std::min(m_calibrate->value(), std::max(1, points));
    // The calibration holds the worker: the app's other jobs wait for it, and Close cancels it.
    m_status->setText(calibrate ? tr("Calibrating: %1 points of senn %2 here; the app's other jobs wait until "
                                     "it ends, Close cancels it…").arg(calibrationPoints).arg(m_spec.command)
                                : tr("Writing the scripts…"));
    m_submit->clear();
    m_copy->setEnabled(false);
    setBusy(true);
    m_cancel = jobs::CancelToken();
    const auto token = m_cancel;
    QPointer<ClusterDialog> self(this);
    // The answer goes through the application object, which outlives a closed dialog; `self`
    // is read only there, on the GUI thread.
    auto answer = [self](QStringList paths, QStringList notes, QString error, bool cancelled) {
        QMetaObject::invokeMethod(qApp, [=] {
            if (self)
                self->finish(paths, notes, error, cancelled);
        }, Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(m_worker, [=]() mutable {
        try {
            if (calibrate) {
                const auto c = jobs::calibrate(plan, calibrationPoints, token);
                plan.resources = jobs::taskResources(c, points, plan.tasks);
            } else {
                plan.resources.notes.push_back("Time and memory per task as given.");
            }
            if (minutes > 0) {
                plan.resources.minutes = minutes;
                if (calibrate)
                    plan.resources.notes.push_back("The time per task was given: " + time.toStdString() + ".");
            }
            if (memoryMb > 0) {
                plan.resources.memoryMb = memoryMb;
                if (calibrate)
                    plan.resources.notes.push_back("The memory per task was given: " + memory.toStdString() + ".");
            }
            QStringList paths, notes;
            for (const auto& p : jobs::writeSlurmScripts(plan))
                paths << QString::fromStdString(p);
            for (const auto& n : plan.resources.notes)
                notes << QString::fromStdString(n);
            notes << QString("Each task: %1, %2 MB.")
                         .arg(QString::fromStdString(jobs::formatSlurmTime(plan.resources.minutes)))
                         .arg(plan.resources.memoryMb);
            answer(paths, notes, {}, false);
        } catch (const jobs::Cancelled&) {
            answer({}, {}, {}, true);
        } catch (const std::exception& e) {
            answer({}, {}, QString::fromStdString(files::cleanMessage(e.what(), 1000)), false);
        }
    }, Qt::QueuedConnection);
}

void ClusterDialog::finish(const QStringList& paths, const QStringList& notes, const QString& error, bool cancelled)
{
    setBusy(false);
    if (cancelled) {
        m_status->setText(tr("Cancelled."));
        emit failed(m_status->text());
        return;
    }
    if (!error.isEmpty()) {
        m_status->setText(error);
        emit failed(error);
        return;
    }
    const QString dir = QFileInfo(paths.value(0)).absolutePath();
    QStringList names;
    for (const auto& p : paths)
        names << QFileInfo(p).fileName();
    m_status->setText(tr("Wrote %1 in %2.\n%3").arg(names.join(", "), dir, notes.join("\n")));
    m_submit->setText("sh " + QString::fromStdString(jobs::shellQuote((dir + "/submit.sh").toStdString())));
    m_copy->setEnabled(true);
    adjustSize(); // room for the notes
    emit saved(paths);
}

} // namespace senn::ui
