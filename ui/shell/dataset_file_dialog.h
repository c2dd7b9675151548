// File > Open dataset's dialog: files as usual, and dataset folders too (IDX files, an
// x.npy / y.npy pair, class sub-folders of images), which Open opens instead of entering.
#pragma once
#include <QFileDialog>

namespace senn::ui {

// A folder the loader reads as one dataset. The loader takes any folder with sub-folders for
// an image folder; this asks for images in them, so that an ordinary folder is entered instead.
bool isDatasetFolder(const QString& path);

class DatasetFileDialog : public QFileDialog {
public:
    // Runs the dialog in dir; the chosen file or dataset folder, or empty when cancelled.
    static QString choose(QWidget* parent, const QString& dir);

    using QFileDialog::QFileDialog;
    QString chosen() const { return m_chosen.isEmpty() ? selectedFiles().value(0) : m_chosen; }
    // Open (or Enter) on a typed or selected folder opens it when it is a dataset folder and
    // enters it otherwise; with nothing typed, Open opens the folder shown when that is one.
    void accept() override;
    // In a dataset folder Open (with nothing typed) opens the folder itself: Directory mode
    // keeps the button enabled for it, and files stay listed.
    void followDirectory(const QString& dir);

private:
    QString m_chosen;
};

} // namespace senn::ui
