// "Run on a cluster…" of the Stability, Faithfulness and Sanity views: the run as a Slurm array
// of shards and a merge job, its tasks given every setting of the view's run. It calibrates on
// the worker's thread and writes the three scripts through core (jobs/slurm_script.h), the ones
// `senn slurm` writes, then shows the line to run.
#pragma once
#include "core/jobs/job.h"

#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace senn::ui {

// The run the dialog plans: what `senn slurm ... -- COMMAND ARGS` would be given.
struct ClusterRunSpec {
    QString senn;    // absolute path of the senn binary
    QString command; // stability, faithfulness or sanity
    QStringList args; // with absolute --model and --data; no --threads, --json or --shard
    QStringList notCarried; // settings of the app's run the command cannot take (names for a person)
    int points = 0;   // points of the run
    QString defaultOutDir;
};

class ClusterDialog : public QDialog {
    Q_OBJECT
public:
    // worker: an object living on the worker thread; the calibration runs there.
    ClusterDialog(const ClusterRunSpec& spec, QObject* worker, QWidget* parent = nullptr);
    ~ClusterDialog() override;

    void setTasks(int tasks);
    void setOutputDir(const QString& dir);
    void setPartition(const QString& partition);
    void setAccount(const QString& account);
    void setExtraOptions(const QString& options); // sbatch options separated by spaces
    void setCalibrationPoints(int points);
    // "Time per task" / "Memory per task"; both given: no calibration.
    void setTimeAndMemory(const QString& time, const QString& memory);
    const ClusterRunSpec& spec() const { return m_spec; }
    // The line to run on the cluster once saved ("sh DIR/submit.sh"); empty before.
    QString submitLine() const;
    QString statusText() const;
    bool isBusy() const { return m_busy; }

public slots:
    // Checks the fields, then calibrates (unless time and memory are given) and writes the scripts.
    void save();

signals:
    void saved(const QStringList& paths);
    void failed(const QString& message);

protected:
    void reject() override;

private:
    void finish(const QStringList& paths, const QStringList& notes, const QString& error, bool cancelled);
    void setBusy(bool busy);

    ClusterRunSpec m_spec;
    QObject* m_worker;
    jobs::CancelToken m_cancel;
    bool m_busy = false;
    QSpinBox *m_tasks, *m_cpus, *m_calibrate;
    QLineEdit *m_partition, *m_account, *m_extra, *m_outDir, *m_time, *m_memory, *m_submit;
    QLabel *m_status, *m_command, *m_taskCommand;
    QPushButton *m_save, *m_copy;
};

} // namespace senn::ui
