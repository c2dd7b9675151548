#include "ui/shell/status_panel.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace senn::ui {

StatusPanel::StatusPanel(QStatusBar* bar, QObject* parent) : QObject(parent), m_idleText(tr("Ready"))
{
    m_text = new QLabel(m_idleText);
    m_text->setObjectName("statusText");
    m_progress = new QProgressBar;
    m_progress->setObjectName("jobProgress");
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_eta = new QLabel;
    m_eta->setObjectName("eta");
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName("statusCancel");
    m_cancel->setToolTip(tr("Cancel the running jobs (Esc)"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_cancel, &QPushButton::clicked, this, &StatusPanel::cancelRequested);
    bar->addWidget(m_text, 1);
    bar->addPermanentWidget(m_eta);
    bar->addPermanentWidget(m_progress);
    bar->addPermanentWidget(m_cancel);
    refresh();
}

void StatusPanel::jobStarted(JobKind kind, const QString& message)
{
    QElapsedTimer t;
    t.start();
    m_running[int(kind)] = t;
    m_fraction[int(kind)] = 0;
    m_firstProgress.remove(int(kind));
    m_message[int(kind)] = message;
    refresh();
}

void StatusPanel::jobProgress(JobKind kind, double fraction, const QString& message)
{
    const int k = int(kind);
    m_fraction[k] = fraction;
    if (fraction > 0 && fraction < 1 && !m_firstProgress.contains(k) && m_running.contains(k))
        m_firstProgress[k] = {fraction, m_running.value(k).elapsed() / 1000.0};
    if (!message.isEmpty())
        m_message[k] = message;
    refresh();
}

void StatusPanel::jobEnded(JobKind kind)
{
    m_running.remove(int(kind));
    refresh();
}

QList<JobKind> StatusPanel::runningJobs() const
{
    QList<JobKind> jobs;
    for (auto it = m_running.cbegin(); it != m_running.cend(); ++it)
        jobs << JobKind(it.key());
    return jobs;
}

void StatusPanel::setIdleText(const QString& text)
{
    m_idleText = text;
    refresh();
}

void StatusPanel::refresh()
{
    const bool busy = !m_running.isEmpty();
    m_cancel->setVisible(busy);
    m_progress->setVisible(busy);
    m_eta->setVisible(busy);
    if (!busy) {
        m_text->setText(m_idleText);
        return;
    }
    // Show the longest-running job (training first: it is what the user waits for).
    const int kind = m_running.contains(int(JobKind::Train)) ? int(JobKind::Train) : m_running.keys().first();
    const double f = m_fraction.value(kind, 0.0);
    const double elapsed = m_running.value(kind).elapsed() / 1000.0;
    m_progress->setValue(int(f * 1000));
    m_progress->setFormat(QStringLiteral("%1 %p%").arg(jobName(JobKind(kind))));
    const auto first = m_firstProgress.value(kind, {0.0, 0.0});
    m_eta->setText(etaText(JobKind(kind), f, elapsed, first.first, first.second));
    if (f >= 0.999)
        m_progress->setFormat(QStringLiteral("%1: %2").arg(jobName(JobKind(kind)),
                                                           kind == int(JobKind::Train) ? tr("evaluating") : tr("finishing")));
    m_text->setText(m_message.value(kind));
}

QString StatusPanel::etaText(JobKind kind, double f, double elapsed, double f0, double t0)
{
    // The work after the last step (training: evaluating the model on the test split and
    // predicting every test row) has no fraction: name the phase instead of "ETA 0 s".
    if (f >= 0.999)
        return kind == JobKind::Train ? tr("evaluating on the test split…") : tr("finishing…");
    const bool fromFirst = t0 > 0 && f0 > 0;
    const double done = fromFirst ? f - f0 : f;
    const double spent = fromFirst ? elapsed - t0 : elapsed;
    if (done > 0.01 && spent > 0) {
        const double eta = spent * (1 - f) / done;
        return tr("ETA %1").arg(eta < 60 ? QStringLiteral("%1 s").arg(int(eta + 0.5))
                                         : QStringLiteral("%1 min %2 s").arg(int(eta) / 60).arg(int(eta) % 60));
    }
    return tr("%1 s").arg(int(elapsed));
}

} // namespace senn::ui
