// The status bar's job display: what the running job says, its progress, the time left and a
// Cancel button. It keeps the per-job bookkeeping (start time, fraction, first progress report)
// from the worker's signals; it only reads clocks, so the GUI thread never waits here.
#pragma once
#include "ui/worker/results.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>

class QLabel;
class QProgressBar;
class QPushButton;
class QStatusBar;

namespace senn::ui {

class StatusPanel : public QObject {
    Q_OBJECT
public:
    // Adds its widgets to bar: the text as a normal widget (a temporary message covers it) and
    // the time, progress and Cancel as permanent ones (they stay visible under a message).
    explicit StatusPanel(QStatusBar* bar, QObject* parent = nullptr);

    void jobStarted(JobKind kind, const QString& message);
    void jobProgress(JobKind kind, double fraction, const QString& message);
    void jobEnded(JobKind kind);
    bool isRunning(JobKind kind) const { return m_running.contains(int(kind)); }
    QList<JobKind> runningJobs() const;
    // What the text says while no job runs ("Ready", or the model and its accuracy).
    void setIdleText(const QString& text);

    // The time text for a job at fraction f after elapsed seconds: "ETA 12 s", the elapsed
    // seconds while f is unknown, and the phase after the last step by name (training:
    // "evaluating on the test split…") instead of "ETA 0 s". Given the job's first progress
    // report (firstFraction at firstSeconds > 0), the rate is measured from there: what comes
    // before it (loading, a warm start, backgrounds, the first model call) is not work the rest
    // of the job repeats, and counting it made early estimates several times too long.
    static QString etaText(JobKind kind, double fraction, double elapsedSeconds,
                           double firstFraction = 0, double firstSeconds = 0);

signals:
    void cancelRequested();

private:
    void refresh();

    QHash<int, QElapsedTimer> m_running;
    QHash<int, double> m_fraction;
    QHash<int, QPair<double, double>> m_firstProgress; // per job: (fraction, seconds) at its first report
    QHash<int, QString> m_message;
    QString m_idleText;
    QLabel* m_text = nullptr;
    QLabel* m_eta = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
};

} // namespace senn::ui
