//===- FileIO.cpp - Whole-file reads and atomic writes --------------------===//

#include "vai/Support/FileIO.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

static std::string errnoText(int err) { return std::strerror(err); }

bool vai::readWholeFile(const std::string &path, std::string &bytes,
                        std::string &error) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot open: " + errnoText(errno);
    return false;
  }
  bytes.clear();
  char buf[1 << 16];
  while (true) {
    size_t n = std::fread(buf, 1, sizeof(buf), f);
    bytes.append(buf, n);
    if (n < sizeof(buf))
      break;
  }
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) {
    error = path + ": cannot read: " + errnoText(err);
    return false;
  }
  return true;
}

bool vai::writeFileAtomically(const std::string &path, const std::string &bytes,
                              std::string &error) {
  // A unique name per process and call; O_EXCL guards against a stale or
  // concurrent file of the same name. open() (not mkstemp) so the final file
  // gets the usual umask-filtered 0666 permissions.
  static std::atomic<unsigned> counter{0};
  int fd = -1;
  std::string tmp;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    unsigned long long tag =
        static_cast<unsigned long long>(
            std::chrono::steady_clock::now().time_since_epoch().count()) ^
        (static_cast<unsigned long long>(::getpid()) << 20) ^
        (static_cast<unsigned long long>(counter.fetch_add(1)) << 40);
    char suffix[32];
    std::snprintf(suffix, sizeof(suffix), ".tmp.%08llx", tag & 0xffffffffull);
    tmp = path + suffix;
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) {
      error = path + ": cannot create temporary file: " + errnoText(errno);
      return false;
    }
  }
  if (fd < 0) {
    error = path + ": cannot create a unique temporary file";
    return false;
  }
  const char *p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      error = path + ": cannot write: " + errnoText(err);
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    error = path + ": cannot write: " + errnoText(err);
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    error =
        path + ": cannot rename temporary file into place: " + errnoText(err);
    return false;
  }
  return true;
}
