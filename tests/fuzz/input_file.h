#pragma once
// For fuzz targets whose parser reads a path: one mkstemp file per process, rewritten with
// each input (with SQLite's -journal/-wal/-shm companions removed first), and removed at
// exit. An input that crashes the target leaves it behind in /tmp (abort skips atexit).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace reckon::fuzz {

class InputFile {
 public:
  // `stem`: the name's prefix in /tmp, e.g. "reckon-fuzz-history".
  explicit InputFile(const std::string& stem) {
    std::string name = "/tmp/" + stem + "-XXXXXX";
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) die("mkstemp failed");
    path_ = name;
  }
  ~InputFile() {
    remove_companions();
    ::unlink(path_.c_str());
    ::close(fd_);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // The file's path, its content now exactly `data`.
  const std::string& write(const uint8_t* data, size_t size) {
    remove_companions();
    if (::ftruncate(fd_, 0) != 0) die("ftruncate failed");
    for (size_t done = 0; done < size;) {
      const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) die("pwrite failed");
      done += static_cast<size_t>(n);
    }
    return path_;
  }

 private:
  [[noreturn]] static void die(const char* why) {
    std::fprintf(stderr, "fuzz input file: %s\n", why);
    std::abort();
  }
  void remove_companions() const {
    for (const char* suffix : {"-journal", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }

  int fd_ = -1;
  std::string path_;
};

}  // namespace reckon::fuzz
