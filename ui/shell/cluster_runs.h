// Cluster runs in the window: the Stability and Faithfulness views' "Run on a cluster…" (a
// ClusterDialog for the view's run) and File > Open results…, which shows a merged or a shard's
// result JSON in its view once its model and data are found to be the open ones.
#pragma once
#include <QObject>
#include <QString>

namespace senn::ui {

class ClusterDialog;
class MainWindow;

class ClusterRuns : public QObject {
    Q_OBJECT
public:
    // worker: an object on the worker thread (the calibration and the hashing run there).
    ClusterRuns(MainWindow* window, QObject* worker);

    // The dialog for the view's run ("stability" or "faithfulness"); nullptr, with the reason
    // shown, when there is nothing to run or the model has no file yet.
    ClusterDialog* openDialog(const QString& command);
    // Reads the result on the worker's thread; resultsOpened or resultsRefused answers.
    void openResults(const QString& path);
    void openResultsDialog();
    // senn next to senn-studio, or $SENN_BINARY; empty when neither is there.
    static QString sennBinary();

signals:
    void resultsOpened(const QString& command, const QString& path);
    void resultsRefused(const QString& message);

private:
    void refuse(const QString& title, const QString& message);

    MainWindow* m_window;
    QObject* m_worker;
};

} // namespace senn::ui
