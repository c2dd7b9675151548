// The Explain view's painted mask: a mask painted over exactly the top-k pixels of a known
// explanation scores top-k intersection 1, pointing game 1 and relevance mass their share of
// the attribution; an empty mask asks for one instead of showing NaN; strokes and new
// explanations update the table. The panel alone, then inside a window on Decoy-free MNIST.
#include "support/test_ui_util.h"

#include "ui/views/explain_view.h"
#include "ui/views/ground_truth_panel.h"
#include "ui/views/mask_painter.h"
#include "ui/views/painted_mask_panel.h"

#include <QLabel>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>

#include <cmath>
#include <fstream>

using namespace senn;
using namespace senn::ui;

namespace {

// A 1 x 4 x 4 example; saliency = 1..16 over the pixels (the top 3: pixels 13, 14, 15), and
// a second method with its weight on the first pixels.
ExplainResult knownResult()
{
    ExplainResult r;
    r.request.row = 5;
    r.input.assign(16, 0.5f);
    explain::Explanation a, b;
    a.method = "saliency";
    b.method = "grad-input";
    a.shape = b.shape = {1, 4, 4};
    for (int i = 0; i < 16; ++i) {
        a.values.push_back(float(i + 1));
        b.values.push_back(float(16 - i));
    }
    r.explanations = {a, b};
    return r;
}

double cell(QTableWidget* t, int row, int col) { return t->item(row, col)->data(Qt::UserRole).toDouble(); }

void stroke(MaskPainter* p, int x, int y, Qt::MouseButton button = Qt::LeftButton)
{
    const QPoint at = p->widgetPoint(x, y);
    QTest::mousePress(p, button, {}, at);
    QTest::mouseRelease(p, button, {}, at);
}

} // namespace

class TestUiPaintedMask : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void topPixelsScoreOne()
    {
        PaintedMaskPanel panel;
        panel.resize(700, 176);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const std::vector<int64_t> shape = {1, 4, 4};
        panel.setResult(knownResult(), shape);
        // Nothing painted: a request to paint, no table of NaN.
        QVERIFY(panel.table()->isHidden());
        QVERIFY(!panel.hint()->isHidden());
        QVERIFY2(panel.hint()->text().contains("Paint a mask"), qPrintable(panel.hint()->text()));
        QCOMPARE(panel.table()->rowCount(), 0);

        // Paint pixels 13, 14 and 15 ((1,3), (2,3), (3,3)) with a one-pixel brush.
        panel.findChild<QSpinBox*>("explainMaskBrush")->setValue(1);
        auto* painter = panel.painter();
        QSignalSpy changed(&panel, &PaintedMaskPanel::maskChanged);
        for (int x = 1; x <= 3; ++x)
            stroke(painter, x, 3);
        QCOMPARE(changed.count(), 3);
        QCOMPARE(panel.mask(), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}));
        QVERIFY(!panel.table()->isHidden());
        QCOMPARE(panel.table()->rowCount(), 2);
        QCOMPARE(panel.table()->item(0, 0)->text(), QString("Saliency"));
        QCOMPARE(cell(panel.table(), 0, 1), (14.0 + 15.0 + 16.0) / 136.0); // relevance mass
        QCOMPARE(cell(panel.table(), 0, 2), 1.0);                          // pointing game
        QCOMPARE(cell(panel.table(), 0, 3), 1.0);                          // top-3 intersection
        QVERIFY(panel.table()->horizontalHeaderItem(3)->text().contains("k = 3"));
        // The other method puts its top 3 on pixels 0-2: none inside.
        QCOMPARE(cell(panel.table(), 1, 1), (1.0 + 2.0 + 3.0) / 136.0);
        QCOMPARE(cell(panel.table(), 1, 2), 0.0);
        QCOMPARE(cell(panel.table(), 1, 3), 0.0);
        // k = 6: three of saliency's top 6 are inside.
        panel.topK()->setValue(6);
        QCOMPARE(cell(panel.table(), 0, 3), 0.5);
        panel.topK()->setValue(0);

        // Erasing the top pixel (right button) updates the table: k follows the mask (2), and
        // of saliency's top 2 (pixels 15, 14) one is inside; the top one is not.
        stroke(painter, 3, 3, Qt::RightButton);
        QCOMPARE(cell(panel.table(), 0, 3), 0.5);
        QCOMPARE(cell(panel.table(), 0, 2), 0.0);
        QCOMPARE(cell(panel.table(), 0, 1), (14.0 + 15.0) / 136.0);

        // New explanations of the same example: scored against the same mask.
        ExplainResult flipped = knownResult();
        std::swap(flipped.explanations[0].values, flipped.explanations[1].values);
        panel.setResult(flipped, shape);
        QCOMPARE(cell(panel.table(), 0, 3), 0.0);

        // A mask over everything is undefined: said, not shown as NaN.
        panel.setMask(std::vector<float>(16, 1.0f));
        QVERIFY(panel.table()->isHidden());
        QVERIFY(panel.hint()->text().contains("whole input"));
        panel.clearMask();
        QVERIFY(panel.hint()->text().contains("Paint a mask"));
        QVERIFY(panel.mask().empty());
    }

    // A .npy mask file of the input's shape loads into the painter; one of another size is
    // refused with the file named.
    void loadsMaskFiles()
    {
        QTemporaryDir dir;
        auto npy = [&](const QString& name, int n, const std::vector<int>& on) {
            const QString path = dir.filePath(name);
            std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + std::to_string(n) + ",), }";
            while ((10 + header.size() + 1) % 64)
                header += ' ';
            header += '\n';
            std::ofstream f(path.toStdString(), std::ios::binary);
            f.write("\x93NUMPY\x01\x00", 8);
            const uint16_t len = uint16_t(header.size());
            f.write(reinterpret_cast<const char*>(&len), 2);
            f << header;
            std::vector<uint8_t> data(size_t(n), 0);
            for (int i : on)
                data[size_t(i)] = 1;
            f.write(reinterpret_cast<const char*>(data.data()), n);
            return path;
        };
        PaintedMaskPanel panel;
        panel.setResult(knownResult(), {1, 4, 4});
        QString error;
        QVERIFY2(panel.loadMask(npy("top.npy", 16, {13, 14, 15}), &error), qPrintable(error));
        QCOMPARE(cell(panel.table(), 0, 3), 1.0);
        QVERIFY(!panel.loadMask(npy("short.npy", 9, {1}), &error));
        QVERIFY2(error.contains("short.npy"), qPrintable(error));
    }

    // In the Explain view: the check box opens the brush, which shows the explained digit.
    void inTheExplainView()
    {
        MainWindow w;
        QVERIFY(test::showAt(w, 1500, 950));
        QVERIFY(test::openAndWait(w, test::mnist()));
        w.showView("explain");
        auto* truth = w.explainView()->truthPanel();
        QVERIFY(truth->isVisible());
        QVERIFY(!truth->hasKnownTruth());
        QVERIFY(!truth->paintedMask()->isVisible());
        truth->setPaintingShown(true);
        QVERIFY(truth->paintedMask()->isVisible());
        // An explanation (as the worker delivers it) reaches the painter and the table.
        ExplainResult r;
        r.request.row = w.dataset().testRows.at(0);
        const float* x = w.dataset().data->row(r.request.row);
        r.input.assign(x, x + 784);
        explain::Explanation e;
        e.method = "saliency";
        e.shape = {1, 28, 28};
        e.values.assign(x, x + 784); // the digit's own strokes
        r.explanations = {e};
        truth->setResult(r);
        auto* panel = truth->paintedMask();
        QCOMPARE(panel->painter()->imageWidth(), 28);
        QVERIFY(panel->hint()->text().contains("Paint a mask"));
        // The mask of every stroke pixel: all the attribution is inside.
        std::vector<float> strokes(784);
        for (int i = 0; i < 784; ++i)
            strokes[size_t(i)] = x[i] > 0 ? 1.0f : 0.0f;
        panel->setMask(strokes);
        QCOMPARE(panel->table()->rowCount(), 1);
        QCOMPARE(cell(panel->table(), 0, 1), 1.0);
        QCOMPARE(cell(panel->table(), 0, 3), 1.0);
        if (!qEnvironmentVariableIsEmpty("SENN_TEST_SHOT")) { // a look at the view (not a check)
            QTest::qWait(300);
            w.grab().save(qEnvironmentVariable("SENN_TEST_SHOT"));
        }
    }
};

QTEST_MAIN(TestUiPaintedMask)
#include "test_ui_painted_mask.moc"
