// File access of the readers and writers (core/io.h): whole-file reads and atomic writes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/internal.h"
#include "core/io.h"

namespace af {

namespace {

Status file_error(const std::string& path, const std::string& what, int err) {
  return FieldError(path, 0, "file", what + " (" + std::strerror(err) + ")",
                    "a readable regular file");
}

}  // namespace

bool parse_number(const std::string& text, double* out) {
  return internal::parse_finite_double(text, out);
}

Expected<std::string> read_text_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return file_error(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return file_error(path, "cannot stat", err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return FieldError(path, 0, "file", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file",
                      "a readable regular file");
  }
  std::string text;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return file_error(path, "cannot read", err);
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

Status write_file_atomic(const std::string& path, const std::string& text) {
  // The temporary file lives in the same directory, so rename() is atomic (same file system).
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(counter.fetch_add(1));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return FieldError(path, 0, "file",
                      "cannot create temporary file " + tmp + " (" + std::strerror(errno) + ")",
                      "a writable directory");
  }
  const auto fail = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return FieldError(path, 0, "file", what + " (" + std::strerror(err) + ")",
                      "a writable directory");
  };
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync " + tmp);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return FieldError(path, 0, "file", "cannot close " + tmp + " (" + std::strerror(err) + ")",
                      "a writable directory");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return FieldError(path, 0, "file", "cannot rename " + tmp + " (" + std::strerror(err) + ")",
                      "a writable directory");
  }
  return Status();
}

}  // namespace af
