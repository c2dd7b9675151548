// io::writeFileAtomically (model_file.h): every file the app writes goes to a temporary file
// beside it that is flushed and renamed over the target, so a killed process or a full disk
// never leaves a half-written file.
#include "core/io/model_file.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace senn::io {

void writeFileAtomically(const std::string& path, const std::string& bytes)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw Error::inFile(path, "cannot write (" + std::string(std::strerror(errno)) + ")",
                            "Check that the folder exists and is writable");
    const std::string tmp(name.data());
    auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error::inFile(path, what + " (" + reason + ")", "Check free disk space and permissions");
    };
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write");
        }
        done += static_cast<size_t>(w);
    }
    if (::fsync(fd) != 0)
        fail("cannot flush to disk");
    ::fchmod(fd, 0644);
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw Error::inFile(path, "cannot close after writing");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw Error::inFile(path, "cannot replace the file (" + reason + ")");
    }
    // Temp files left by an earlier write of this file that was killed.
    files::removeStaleTemps(path);
}

} // namespace senn::io
