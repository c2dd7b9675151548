// Ctrl-C in `senn train` while a model call is under way: post-hoc FLINT on a TorchScript
// predictor whose forward never returns in time for batches of more than 8 rows (the load's
// trial calls use fewer). The first SIGINT must say at once, while the call still runs, that
// senn stops after it; the second ends the process by SIGINT (status 130 in a shell), and no
// model file is left behind.
#include "core/torch_include.h"

#include "tests/support/torchscript_test_models.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

using namespace senn::testing;

namespace {

// fc1 -> relu -> slow -> fc2 on the 30 breast-cancer features; `slow` is the identity that
// first counts to 10^9 in the TorchScript interpreter (minutes) when given more than 8 rows.
torch::jit::Module slowPredictor()
{
    torch::manual_seed(12);
    torch::jit::Module net("SeqSlow");
    net.register_module("fc1", linear("Fc1", 30, 16, 0.05));
    net.register_module("relu", layer("Relu", "torch.relu(x)"));
    torch::jit::Module slow("Slow");
    slow.define(R"(
def forward(self, x):
    s = 0
    if x.size(0) > 8:
        for i in range(1000000000):
            s = s + 1
    return x + float(s % 2) * 0.0
)");
    net.register_module("slow", slow);
    net.register_module("fc2", linear("Fc2", 16, 2, 0.3));
    net.define(R"(
def forward(self, x):
    return self.fc2.forward(self.slow.forward(self.relu.forward(self.fc1.forward(x))))
)");
    return net;
}

} // namespace

class TestCliInterrupt : public QObject {
    Q_OBJECT
private slots:
    void firstCtrlCSaysSoSecondEnds()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString model = dir.filePath("slow.pt");
        slowPredictor().save(model.toStdString());
        const QString out = dir.filePath("flint.senn");
        QProcess senn;
        QByteArray err;
        connect(&senn, &QProcess::readyReadStandardError, [&] { err += senn.readAllStandardError(); });
        senn.start(SENN_CLI, {"train", "--model", "flint", "--posthoc", model, "--hidden-layer", "relu",
                              "--data", SENN_RESOURCE_DATA "/breast-cancer.csv", "--target", "diagnosis",
                              "--epochs", "2", "--out", out});
        QVERIFY(senn.waitForStarted());
        // Training starts, and its first batch calls the predictor on 64 rows.
        QVERIFY2(QTest::qWaitFor([&] { return err.contains("training flint on"); }, 120000), err.constData());
        QTest::qWait(1500);
        QCOMPARE(senn.state(), QProcess::Running);

        ::kill(pid_t(senn.processId()), SIGINT);
        const QByteArray note = "stopping after the current model call";
        QVERIFY2(QTest::qWaitFor([&] { return err.contains(note); }, 30000), err.constData());
        // Said while the call goes on: the process has not finished it.
        QCOMPARE(senn.state(), QProcess::Running);
        QVERIFY(err.contains("press Ctrl-C again to quit at once"));

        ::kill(pid_t(senn.processId()), SIGINT);
        QVERIFY(senn.waitForFinished(30000));
        QCOMPARE(senn.exitStatus(), QProcess::CrashExit); // ended by the signal itself
        QVERIFY(!QFileInfo::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliInterrupt)
#include "test_cli_interrupt.moc"
