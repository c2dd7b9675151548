// The Slurm scripts of a sharded run (core/jobs/slurm_script.h) and the measured calibration
// run (core/jobs/calibration.h). Known answers: the resources scaled from a given calibration,
// Slurm's time and memory forms, and the scripts executed with stand-ins for senn and sbatch
// print exactly the shard, merge and dependency arguments.
#include "core/common/error.h"
#include "core/jobs/calibration.h"
#include "core/jobs/slurm_script.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>
#include <thread>

using namespace senn;
using namespace senn::jobs;

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeExecutable(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

// bash SCRIPT with extra environment; returns standard output (standard error on failure).
QString runScript(const QString& script, const QStringList& env)
{
    QProcess p;
    auto e = QProcessEnvironment::systemEnvironment();
    for (const auto& kv : env)
        e.insert(kv.section('=', 0, 0), kv.section('=', 1));
    p.setProcessEnvironment(e);
    p.start("/bin/bash", {script});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return "FAILED: " + QString::fromUtf8(p.readAllStandardError());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

SlurmPlan plan(const std::string& outDir, const std::string& senn = "/opt/senn/bin/senn")
{
    SlurmPlan p;
    p.senn = senn;
    p.command = "stability";
    p.args = {"--model", "/data/m.senn", "--data", "/data/breast cancer.csv", "--methods", "saliency,lime",
              "--points", "all"};
    p.outDir = outDir;
    p.tasks = 4;
    p.cpusPerTask = 2;
    p.partition = "short";
    p.account = "proj42";
    p.sbatchOptions = {"--qos=quick"};
    p.resources.minutes = 13;
    p.resources.memoryMb = 768;
    p.resources.notes = {"Calibration: a note."};
    return p;
}

} // namespace

class TestSlurmScript : public QObject {
    Q_OBJECT
private slots:
    void resourcesFromCalibration()
    {
        // 4 points in 60 s of a 62 s run: 2 s start-up, 15 s per point. 100 points over 4 tasks:
        // 25 each, 2 + 375 = 377 s, x2 = 754 s -> 13 minutes. Peak 400 MB x 1.5 -> 768 MB.
        Calibration c;
        c.points = 4;
        c.wallSeconds = 62;
        c.metricSeconds = 60;
        c.peakRssBytes = int64_t(400) << 20;
        const auto r = taskResources(c, 100, 4);
        QCOMPARE(r.minutes, int64_t(13));
        QCOMPARE(r.memoryMb, int64_t(768));
        QCOMPARE(r.notes.size(), size_t(3));
        QVERIFY(r.notes[1].find("25 of 100 points") != std::string::npos);
        // Unknown point seconds: the whole run counts per point. 1 point of 10 s, 3 tasks of 7
        // points (ceil(20 / 3)) -> 70 s x 2 = 140 s -> 3 minutes; a tiny peak -> one 256 MB step.
        c = {};
        c.points = 1;
        c.wallSeconds = 10;
        c.peakRssBytes = 1 << 20;
        const auto u = taskResources(c, 20, 3);
        QCOMPARE(u.minutes, int64_t(3));
        QCOMPARE(u.memoryMb, int64_t(256));
        // At least the minimum time.
        c.wallSeconds = 0.5;
        QCOMPARE(taskResources(c, 2, 2).minutes, int64_t(2));
    }

    void slurmForms()
    {
        QCOMPARE(parseSlurmMinutes("90"), int64_t(90));
        QCOMPARE(parseSlurmMinutes("1:30:00"), int64_t(90));
        QCOMPARE(parseSlurmMinutes("0-01:30:00"), int64_t(90));
        QCOMPARE(parseSlurmMinutes("2-0"), int64_t(2880));
        QCOMPARE(parseSlurmMinutes("5:30"), int64_t(6)); // M:S, rounded up
        for (const char* bad : {"", "abc", "0", "1:2:3:4", "-5", "1:", "9999999999"})
            QVERIFY_THROWS_EXCEPTION(Error, parseSlurmMinutes(bad));
        QCOMPARE(parseSlurmMemoryMb("4G"), int64_t(4096));
        QCOMPARE(parseSlurmMemoryMb("512"), int64_t(512));
        QCOMPARE(parseSlurmMemoryMb("512m"), int64_t(512));
        QCOMPARE(parseSlurmMemoryMb("1T"), int64_t(1048576));
        QCOMPARE(parseSlurmMemoryMb("2048K"), int64_t(2));
        for (const char* bad : {"", "G", "4.5G", "x", "0"})
            QVERIFY_THROWS_EXCEPTION(Error, parseSlurmMemoryMb(bad));
        QCOMPARE(formatSlurmTime(90), std::string("0-01:30:00"));
        QCOMPARE(formatSlurmTime(2 * 1440 + 5), std::string("2-00:05:00"));
    }

    void quotingAndOptions()
    {
        QCOMPARE(shellQuote("/a/b-c_d.e"), std::string("/a/b-c_d.e"));
        QCOMPARE(shellQuote("a b"), std::string("'a b'"));
        QCOMPARE(shellQuote("it's"), std::string("'it'\\''s'"));
        QCOMPARE(shellQuote(""), std::string("''"));
        const std::vector<std::string> args{"--points", "8", "--threads=2", "--resume", "--seed", "3"};
        QCOMPARE(dropOptions(args, {"--points", "--threads"}, {"--resume"}),
                 (std::vector<std::string>{"--seed", "3"}));
        QCOMPARE(optionValue(args, "--threads"), std::string("2"));
        QCOMPARE(optionValue(args, "--points"), std::string("8"));
        QCOMPARE(optionValue(args, "--model"), std::string());
    }

    void scriptText()
    {
        const auto s = slurmScripts(plan("/runs/one"));
        QVERIFY(s.array.rfind("#!/bin/bash\n", 0) == 0);
        for (const char* line : {"#SBATCH --array=1-4\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --time=0-00:13:00\n",
                                 "#SBATCH --mem=768M\n", "#SBATCH --partition=short\n", "#SBATCH --account=proj42\n",
                                 "#SBATCH --qos=quick\n", "#SBATCH --output=/runs/one/logs/shard-%a.out\n",
                                 "# Calibration: a note.\n"})
            QVERIFY2(s.array.find(line) != std::string::npos, line);
        // Every #SBATCH line comes before the first command, where sbatch stops reading them.
        QVERIFY(s.array.rfind("#SBATCH") < s.array.find("set -euo pipefail"));
        QVERIFY(s.merge.find("#SBATCH --array") == std::string::npos);
        QVERIFY(s.merge.find("#SBATCH --partition=short\n") != std::string::npos);
        QVERIFY(s.submit.find("sbatch --parsable --dependency=afterok:\"$array\" /runs/one/merge.sbatch") !=
                std::string::npos);
        // Refused: a second line smuggled into an #SBATCH value, relative paths, no resources.
        auto p = plan("/runs/one");
        p.partition = "short\nrm -rf /";
        QVERIFY_THROWS_EXCEPTION(Error, slurmScripts(p));
        p = plan("runs/one");
        QVERIFY_THROWS_EXCEPTION(Error, slurmScripts(p));
        p = plan("/runs/one", "senn");
        QVERIFY_THROWS_EXCEPTION(Error, slurmScripts(p));
        p = plan("/runs/one");
        p.resources.minutes = 0;
        QVERIFY_THROWS_EXCEPTION(Error, slurmScripts(p));
    }

    // The scripts run with /bin/echo as senn and a stand-in sbatch: the commands they run.
    void scriptsRun()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/run dir";
        const auto paths = writeSlurmScripts(plan(dir, "/bin/echo"));
        QCOMPARE(paths.size(), size_t(3));
        QVERIFY(QFileInfo(QString::fromStdString(paths[2])).isExecutable());
        QVERIFY(QFileInfo(QString::fromStdString(dir + "/logs")).isDir());
        const QString d = QString::fromStdString(dir);
        QCOMPARE(runScript(QString::fromStdString(paths[0]), {"SLURM_ARRAY_TASK_ID=3"}),
                 "stability --model /data/m.senn --data /data/breast cancer.csv --methods saliency,lime "
                 "--points all --threads 2 --shard 3/4 --resume --json " + d + "/shard-3.json");
        QCOMPARE(runScript(QString::fromStdString(paths[1]), {}),
                 "merge " + d + "/merged.json " + d + "/shard-1.json " + d + "/shard-2.json " + d +
                     "/shard-3.json " + d + "/shard-4.json");
        // sbatch: the array answers "ID;CLUSTER" as a federation does; the merge must depend on ID.
        const QString bin = tmp.path() + "/bin";
        QDir().mkpath(bin);
        writeExecutable(bin + "/sbatch",
                        "#!/bin/sh\n"
                        "echo \"$*\" >> \"$(dirname \"$0\")/calls\"\n"
                        "case \"$*\" in *dependency*) echo 78 ;; *) echo '77;cluster' ;; esac\n");
        const QString out = runScript(QString::fromStdString(paths[2]),
                                      {"PATH=" + bin + ":" + qEnvironmentVariable("PATH")});
        QVERIFY2(out.contains("array job 77 (4 tasks), merge job 78"), qPrintable(out));
        QCOMPARE(QString::fromStdString(readAll(bin.toStdString() + "/calls")),
                 "--parsable " + d + "/array.sbatch\n--parsable --dependency=afterok:77 " + d + "/merge.sbatch\n");
        QCOMPARE(QString::fromStdString(readAll(dir + "/array.jobid")), QString("77\n"));
        QCOMPARE(QString::fromStdString(readAll(dir + "/merge.jobid")), QString("78\n"));
        // Without the task id (run by hand, not by sbatch) the array script says what it needs.
        QVERIFY(runScript(QString::fromStdString(paths[0]), {}).contains("SLURM_ARRAY_TASK_ID"));
    }

    void measuredRun()
    {
        QTemporaryDir tmp;
        const std::string log = tmp.path().toStdString() + "/log";
        const auto r = runMeasured({"/bin/sh", "-c", "echo hi; exit 3"}, log);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(readAll(log), std::string("hi\n"));
        // dd fills a 64 MB buffer: the child's peak covers it.
        const auto big = runMeasured({"/bin/sh", "-c", "exec dd if=/dev/zero of=/dev/null bs=64M count=1"}, log);
        QCOMPARE(big.exitCode, 0);
        QVERIFY2(big.peakRssBytes >= (int64_t(64) << 20), qPrintable(QString::number(big.peakRssBytes)));
        QVERIFY(big.peakRssBytes < (int64_t(1) << 30));
        QVERIFY_THROWS_EXCEPTION(Error, runMeasured({"/nonexistent/senn"}, log));
        QVERIFY_THROWS_EXCEPTION(Error, runMeasured({"relative/senn"}, log));
        // Cancelling ends the child.
        CancelToken token;
        std::thread canceller([token] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            token.cancel();
        });
        QVERIFY_THROWS_EXCEPTION(Cancelled, runMeasured({"/bin/sleep", "60"}, log, token));
        canceller.join();
    }
};

QTEST_GUILESS_MAIN(TestSlurmScript)
#include "test_slurm_script.moc"
