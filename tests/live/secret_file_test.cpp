// The shared-secret files of serve --psp-webhook-secret-file and psp-sim
// --webhook-secret-file: one trailing newline stripped, 16 to 4096 bytes, and no error
// message ever carries the file's contents.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "live/secret_file.h"
#include "tests/support/run_reckon.h"

namespace reckon::test {
namespace {

struct TempSecret {
  std::string path;
  explicit TempSecret(const std::string& bytes) : path(testing::temp_path("secret")) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempSecret() { std::remove(path.c_str()); }
};

std::optional<std::string> read(const std::string& bytes, std::string& error) {
  TempSecret file(bytes);
  return live::read_secret_file("--flag", file.path, error);
}

TEST(SecretFile, StripsOneTrailingNewline) {
  std::string error;
  EXPECT_EQ(read("0123456789abcdef", error), "0123456789abcdef");
  EXPECT_EQ(read("0123456789abcdef\n", error), "0123456789abcdef");
  EXPECT_EQ(read("0123456789abcdef\r\n", error), "0123456789abcdef");
  // Only one: a second newline is part of the secret, not silently dropped.
  EXPECT_EQ(read("0123456789abcdef\n\n", error), "0123456789abcdef\n");
}

TEST(SecretFile, BoundsTheLengthWithoutEchoingTheSecret) {
  std::string error;
  EXPECT_FALSE(read("s3cr3t_fifteen!\n", error));  // 15 bytes
  EXPECT_NE(error.find("--flag '"), std::string::npos) << error;
  EXPECT_NE(error.find("16 to 4096 bytes"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cr3t"), std::string::npos) << error;
  EXPECT_TRUE(read(std::string(4096, 'k'), error)) << error;
  EXPECT_FALSE(read(std::string(4097, 'k'), error));
  EXPECT_EQ(error.find("kkkk"), std::string::npos) << error;
  EXPECT_FALSE(read("", error));
}

TEST(SecretFile, AMissingFileOrADirectoryNamesFlagAndPath) {
  std::string error;
  EXPECT_FALSE(live::read_secret_file("--flag", "/nonexistent/secret", error));
  EXPECT_EQ(error, "--flag '/nonexistent/secret': cannot read the file");
  EXPECT_FALSE(live::read_secret_file("--flag", "/tmp", error));
  EXPECT_EQ(error, "--flag '/tmp': cannot read the file");
}

}  // namespace
}  // namespace reckon::test
