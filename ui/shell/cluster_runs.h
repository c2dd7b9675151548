// Cluster runs in the window: the Stability, Faithfulness and Sanity views' "Run on a cluster…"
// (a ClusterDialog for the view's run) and File > Open results…, which shows a merged or a shard's
// result JSON in its view once its model and data are found to be the open ones, or the points
// so far of running shards (their FILE.records, one or several of one run), reloaded as the
// files grow.
#pragma once
#include <QObject>
#include <QString>
#include <QStringList>

class QFileSystemWatcher;
class QTimer;

namespace senn::ui {

class ClusterDialog;
class MainWindow;

class ClusterRuns : public QObject {
    Q_OBJECT
public:
    // worker: an object on the worker thread (the calibration and the hashing run there).
    ClusterRuns(MainWindow* window, QObject* worker);

    // The dialog for the view's run ("stability", "faithfulness" or "sanity"); nullptr, with the reason
    // shown, when there is nothing to run or the model has no file yet.
    ClusterDialog* openDialog(const QString& command);
    // Reads the result on the worker's thread; resultsOpened or resultsRefused answers. A
    // results file (.records) of a running shard, or several shards' files of one run, shows
    // the points finished so far, and is read again when it grows (at most every 2 s, or twice
    // the time the last read took).
    void openResults(const QString& path);
    void openResults(const QStringList& paths);
    // The .records files watched for growth (empty when a whole result is shown).
    QStringList watchedFiles() const { return m_watched; }
    void openResultsDialog();
    // senn next to senn-studio, or $SENN_BINARY; empty when neither is there.
    static QString sennBinary();

signals:
    void resultsOpened(const QString& command, const QString& path);
    void resultsRefused(const QString& message);

private:
    void refuse(const QString& title, const QString& message);
    void read(const QStringList& paths, bool reload);
    void watch(const QStringList& paths);

    MainWindow* m_window;
    QObject* m_worker;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_reload = nullptr; // throttles the reloads of growing files
    QStringList m_watched;
    bool m_reading = false;
};

} // namespace senn::ui
