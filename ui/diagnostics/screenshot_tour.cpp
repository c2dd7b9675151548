#include "ui/diagnostics/screenshot_tour.h"

#include "ui/main_window.h"
#include "ui/views/concepts_view.h"
#include "ui/views/explain_view.h"
#include "ui/views/flint_view.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"
#include "ui/views/model_view.h"

#include <QApplication>
#include <QDir>
#include <QDialog>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <functional>

namespace senn::ui {

namespace {

class Tour : public QObject {
public:
    Tour(MainWindow* w, QString dir, QString prefix, int epochs)
        : QObject(w), m_w(w), m_dir(std::move(dir)), m_prefix(std::move(prefix)), m_epochs(epochs > 0 ? epochs : 2)
    {
        connect(w, &MainWindow::errorShown, this, [this](const QString& m) {
            qWarning("tour: error: %s", qPrintable(m));
        });
        w->setAskBeforeDiscarding(false); // unattended: quitting at the end must not ask
        // SENN_SCREENSHOT_SIZE=1600x1000: the window size of the screenshots.
        const QStringList size = qEnvironmentVariable("SENN_SCREENSHOT_SIZE").split('x');
        if (size.size() == 2 && size[0].toInt() > 200 && size[1].toInt() > 200) {
            w->showNormal();
            w->resize(size[0].toInt(), size[1].toInt());
        }
        // Screenshots show the views, not a log restored large from an earlier run.
        if (auto* log = w->findChild<QDockWidget*>("logDock"))
            w->resizeDocks({log}, {90}, Qt::Vertical);
        // Everything waits for the dataset opened from the command line.
        phase("open");
        once(&MainWindow::datasetChanged, [this] { train(); });
        QTimer::singleShot(15 * 60 * 1000, this, [this] { finish(); }); // never hang forever
    }

private:
    template <class Signal> void once(Signal sig, std::function<void()> next)
    {
        auto* c = new QMetaObject::Connection;
        *c = connect(m_w, sig, this, [c, next] {
            QObject::disconnect(*c);
            delete c;
            QTimer::singleShot(300, next);
        });
    }
    // The step under way, for SENN_STALL_LOG (diagnostics.cpp) and the log.
    static void phase(const char* name)
    {
        qApp->setProperty("sennPhase", QString::fromLatin1(name));
        qInfo("tour: %s", name);
    }
    void shot(const QString& view)
    {
        m_w->showView(view);
        QApplication::processEvents();
    }
    void train()
    {
        phase("train");
        shot("model");
        // SENN_SCREENSHOT_MODEL=senn|mlp|cnn|flint picks the model (default: the form's).
        const QString kind = qEnvironmentVariable("SENN_SCREENSHOT_MODEL");
        if (!kind.isEmpty())
            m_w->modelView()->setModelKind(models::modelKindFromString(kind.toStdString()));
        m_w->modelView()->setEpochs(m_epochs);
        once(&MainWindow::trainingFinished, [this] { explain(); });
        m_w->train(m_w->modelView()->modelConfig(), m_w->modelView()->trainConfig());
    }
    void explain()
    {
        phase("explain");
        m_w->showView("explain");
        once(&MainWindow::explanationShown, [this] { prototypes(); });
        // Tabular data: the features × methods grid with every family; images: five maps.
        const bool image = m_w->dataset().data && m_w->dataset().data->isImage();
        const QString own = m_w->model().isFlint ? "flint" : m_w->model().isSenn ? "senn" : QString();
        QStringList ids = image ? QStringList{"saliency", "integrated-gradients", "smoothgrad", "lime"}
                                : QStringList{"lime", "kernel-shap", "saliency", "grad-input",
                                              "integrated-gradients", "smoothgrad", "occlusion"};
        if (!own.isEmpty())
            ids.prepend(own);
        m_w->explainView()->methodPicker()->setMethodIds(ids);
        // SENN_SCREENSHOT_SEED_RUNS=N: intervals over N seeds for the random methods.
        const int seedRuns = qEnvironmentVariableIntValue("SENN_SCREENSHOT_SEED_RUNS");
        if (seedRuns > 1)
            m_w->explainView()->setSeedRuns(seedRuns);
        // Auto-explain leaves LIME, SHAP and occlusion for the Explain button: press it.
        QMetaObject::invokeMethod(m_w->explainView()->findChild<QPushButton*>("explainButton"), "click");
    }
    void prototypes()
    {
        phase("prototypes");
        if (m_w->model().isFlint)
            return flint();
        if (!m_w->model().isSenn)
            return stability();
        m_w->showView("concepts");
        once(&MainWindow::prototypesShown, [this] { stability(); });
        QMetaObject::invokeMethod(m_w->conceptsView()->findChild<QPushButton*>("computePrototypes"), "click");
    }
    void flint()
    {
        phase("flint");
        m_w->showView("flint");
        once(&MainWindow::flintInterpretationShown, [this] {
            auto* am = m_w->flintView()->findChild<QPushButton*>("flintVisualise");
            if (!am->isEnabled()) // tabular data: no AM+PI
                return stability();
            once(&MainWindow::flintVisualisationShown, [this] { stability(); });
            QMetaObject::invokeMethod(am, "click");
        });
        QMetaObject::invokeMethod(m_w->flintView()->findChild<QPushButton*>("flintInterpret"), "click");
    }
    void stability()
    {
        phase("stability");
        m_w->showView("stability");
        QJsonObject s;
        // On tables the view's default methods, LIME included (about 1 s of LIME per point on
        // breast cancer); on images differentiable methods only: LIME's local Lipschitz estimate
        // re-runs LIME on ~240 perturbed images per point, minutes on MNIST.
        const bool image = m_w->model().meta.dataKind == data::DataKind::Image;
        if (m_w->model().isSenn)
            s["methods"] = image ? QJsonArray{"senn", "saliency", "integrated-gradients"}
                                 : QJsonArray{"senn", "saliency", "integrated-gradients", "lime"};
        else
            s["methods"] = image ? QJsonArray{"saliency", "grad-input", "integrated-gradients"}
                                 : QJsonArray{"saliency", "grad-input", "integrated-gradients", "lime"};
        s["points"] = 4;
        s["eps"] = "0.01, 0.05, 0.1";
        m_w->stabilityView()->applySettings(s);
        once(&MainWindow::stabilityShown, [this] { perturb(); });
        QMetaObject::invokeMethod(m_w->stabilityView()->findChild<QPushButton*>("runStability"), "click");
    }
    void perturb()
    {
        phase("perturb");
        once(&MainWindow::explanationShown, [this] { faithfulness(); });
        m_w->stabilityView()->findChild<QSlider*>("perturbSlider")->setValue(40);
    }
    void faithfulness()
    {
        phase("faithfulness");
        m_w->showView("faithfulness");
        QJsonObject s;
        s["methods"] = m_w->model().isSenn ? QJsonArray{"senn", "saliency", "integrated-gradients", "lime"}
                                           : QJsonArray{"saliency", "integrated-gradients", "lime"};
        s["points"] = 6;
        m_w->faithfulnessView()->applySettings(s);
        once(&MainWindow::faithfulnessShown, [this] { finish(); });
        QMetaObject::invokeMethod(m_w->faithfulnessView()->findChild<QPushButton*>("runFaithfulness"), "click");
    }
    void finish()
    {
        phase("screenshots"); // SENN_STALL_LOG leaves the grabs below out
        m_w->showView("explain");
        QApplication::processEvents();
        m_w->saveScreenshots(m_dir, m_prefix);
        // The explainer settings dialog, as Explain > Explainer settings… opens it.
        m_w->showExplainerSettings();
        QApplication::processEvents();
        if (auto* dialog = m_w->findChild<QDialog*>("explainerSettings")) {
            dialog->adjustSize();
            QApplication::processEvents();
            dialog->grab().save(QDir(m_dir).filePath(m_prefix + "explainer-settings.png"));
            dialog->hide();
        }
        qInfo("tour: screenshots saved to %s", qPrintable(m_dir));
        QTimer::singleShot(100, qApp, &QApplication::quit);
    }

    MainWindow* m_w;
    QString m_dir, m_prefix;
    int m_epochs;
};

} // namespace

void startScreenshotTour(MainWindow* window, const QString& dir, const QString& prefix, int epochs)
{
    new Tour(window, dir, prefix, epochs);
}

} // namespace senn::ui
