#include "ui/shell/dataset_file_dialog.h"

#include "core/data/loader.h"

#include <QDirIterator>
#include <QLineEdit>

#include <algorithm>

namespace senn::ui {

namespace {
bool hasImageFile(const QString& dir)
{
    static const QStringList kImages = {"png", "jpg", "jpeg", "bmp", "pgm", "ppm", "tif", "tiff", "webp"};
    QDirIterator it(dir, QDir::Files);
    for (int seen = 0; it.hasNext() && seen < 200; ++seen)
        if (kImages.contains(QFileInfo(it.next()).suffix().toLower()))
            return true;
    return false;
}
} // namespace

bool isDatasetFolder(const QString& path)
{
    switch (data::detectFormat(QFile::encodeName(path).toStdString())) {
    case data::SourceFormat::IdxFolder:
    case data::SourceFormat::NpyPair:
        return true;
    case data::SourceFormat::ImageFolder: {
        const QStringList classes = QDir(path).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        if (classes.isEmpty())
            return false;
        for (int i = 0; i < std::min<int>(classes.size(), 20); ++i)
            if (!hasImageFile(QDir(path).filePath(classes[i])))
                return false;
        return true;
    }
    default:
        return false;
    }
}

QString DatasetFileDialog::choose(QWidget* parent, const QString& dir)
{
    DatasetFileDialog dlg(parent, tr("Open dataset: a CSV file, an IDX folder, an image folder or a .npy pair"),
                          dir, tr("Datasets (*.csv *.npy *.gz *-ubyte);;All files (*)"));
    dlg.setFileMode(QFileDialog::ExistingFile);
    dlg.setOption(QFileDialog::DontUseNativeDialog); // accept() needs Qt's own dialog
    dlg.setOption(QFileDialog::DontResolveSymlinks);
    dlg.setLabelText(QFileDialog::Accept, tr("&Open"));
    // A folder selected in the list is shown in the name field (Qt leaves folders out of it in
    // ExistingFile mode), so that Open acts on it.
    connect(&dlg, &QFileDialog::currentChanged, &dlg, [&dlg](const QString& p) {
        dlg.setFileMode(QFileInfo(p).isDir() ? QFileDialog::Directory : QFileDialog::ExistingFile);
    });
    connect(&dlg, &QFileDialog::directoryEntered, &dlg, [&dlg](const QString& d) { dlg.followDirectory(d); });
    dlg.followDirectory(dlg.directory().absolutePath());
    if (dlg.exec() != QDialog::Accepted)
        return {};
    return dlg.chosen();
}

void DatasetFileDialog::accept()
{
    auto* edit = findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
    QString typed = edit ? edit->text().trimmed() : QString();
    if (typed.size() > 1 && typed.startsWith('"') && typed.endsWith('"'))
        typed = typed.mid(1, typed.size() - 2);
    if (typed.startsWith(QLatin1String("~/")))
        typed = QDir::homePath() + typed.mid(1);
    const QString path = typed.isEmpty() ? directory().absolutePath()
                                         : directory().absoluteFilePath(QDir::fromNativeSeparators(typed));
    const QFileInfo fi(path);
    if (fi.isDir()) {
        if (isDatasetFolder(path)) {
            m_chosen = fi.absoluteFilePath();
            QDialog::accept();
        } else if (!typed.isEmpty()) {
            setDirectory(fi.absoluteFilePath());
            if (edit)
                edit->clear();
            followDirectory(fi.absoluteFilePath());
        }
        return;
    }
    QFileDialog::accept(); // a file: the dialog's own checks
}

void DatasetFileDialog::followDirectory(const QString& dir)
{
    setFileMode(isDatasetFolder(dir) ? QFileDialog::Directory : QFileDialog::ExistingFile);
}

} // namespace senn::ui
