// charset_test.cc: declared charsets -> UTF-8, the fallback policy, and the gmime charset samples.
#include "ingest/charset.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/corpus.h"

using folio::ingest::decode_charset;
using folio::ingest::is_valid_utf8;
using folio::ingest::sanitize_utf8;
using folio::ingest::to_utf8;
using folio::ingest::utf8_cut;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Line endings unified, trailing white space dropped, typographic
// apostrophes written as ASCII (the gmime UTF-8 references use ').
std::string normalised(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\xE2\x80\x99") == 0) {
      out += '\'';
      i += 2;
    } else if (s[i] != '\r') {
      out += s[i];
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::u32string code_points(const std::string& utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out += cp;
    i += static_cast<std::size_t>(len);
  }
  return out;
}

bool is_subsequence(const std::u32string& small, const std::u32string& big) {
  std::size_t j = 0;
  for (char32_t c : big) {
    if (j < small.size() && small[j] == c) ++j;
  }
  return j == small.size();
}

}  // namespace

TEST_CASE("charset: each gmime charset sample decodes to its UTF-8 reference", "[ingest][charset]") {
  SKIP_WITHOUT_CORPUS();
  auto dir = *folio::testing::shared_corpus() / "mime" / "gmime" / "charsets";
  struct Sample {
    const char* file;
    const char* charset;
    const char* reference;
  };
  const Sample samples[] = {
      {"cyrillic.koi8-r.txt", "koi8-r", "cyrillic.utf-8.txt"},
      {"cyrillic.cp1251.txt", "windows-1251", "cyrillic.utf-8.txt"},
      {"cyrillic.iso-8859-5.txt", "iso-8859-5", "cyrillic.utf-8.txt"},
      {"japanese.iso-2022-jp.txt", "iso-2022-jp", "japanese.utf-8.txt"},
      {"japanese.shift-jis.txt", "Shift_JIS", "japanese.utf-8.txt"},
      {"french-fable.cp1252.txt", "iso-8859-1", "french-fable.txt"},  // declared latin1, really cp1252
  };
  for (const Sample& s : samples) {
    INFO(s.file << " as " << s.charset);
    auto decoded = decode_charset(read_file(dir / s.file), s.charset);
    REQUIRE_FALSE(decoded.unknown_charset);
    REQUIRE_FALSE(decoded.replaced_invalid);
    REQUIRE(normalised(decoded.text) == normalised(read_file(dir / s.reference)));
  }
}

TEST_CASE("charset: big5 sample decodes to the reference minus the characters big5 lacks",
          "[ingest][charset]") {
  SKIP_WITHOUT_CORPUS();
  auto dir = *folio::testing::shared_corpus() / "mime" / "gmime" / "charsets";
  auto decoded = decode_charset(read_file(dir / "chinese.big5.txt"), "big5");
  REQUIRE_FALSE(decoded.replaced_invalid);
  auto got = code_points(decoded.text);
  auto want = code_points(read_file(dir / "chinese.utf-8.txt"));
  // The sample was made from the UTF-8 text by a lossy conversion that dropped
  // the Japanese-only kanji; everything that is left must come out in order.
  REQUIRE(is_subsequence(got, want));
  REQUIRE(got.size() * 10 > want.size() * 8);
}

TEST_CASE("charset: cp1252 text declared as iso-8859-1 keeps its curly quotes", "[ingest][charset]") {
  REQUIRE(to_utf8("l\x92odeur \x93x\x94 \x85", "ISO-8859-1") ==
          "l\xE2\x80\x99odeur \xE2\x80\x9Cx\xE2\x80\x9D \xE2\x80\xA6");
  REQUIRE(to_utf8("caf\xE9", "iso-8859-1") == "caf\xC3\xA9");
  REQUIRE(to_utf8("\x80", "latin1") == "\xE2\x82\xAC");
}

TEST_CASE("charset: undeclared or placeholder labels keep UTF-8 and read the rest as cp1252",
          "[ingest][charset]") {
  for (const char* label : {"", "us-ascii", "x-unknown", "unknown-8bit", "  \"US-ASCII\" "}) {
    INFO("label '" << label << "'");
    REQUIRE(to_utf8("caf\xC3\xA9", label) == "caf\xC3\xA9");
    REQUIRE(to_utf8("caf\xE9 \x93q\x94", label) == "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
    REQUIRE_FALSE(decode_charset("x\xE9", label).unknown_charset);
  }
}

TEST_CASE("charset: an unknown label falls back like an undeclared one and says so", "[ingest][charset]") {
  auto d = decode_charset("caf\xE9", "x-no-such-charset");
  REQUIRE(d.unknown_charset);
  REQUIRE(d.text == "caf\xC3\xA9");
  auto weird = decode_charset("caf\xC3\xA9", "utf-8,swaplfnl");  // not a plain name: never given to ICU
  REQUIRE(weird.unknown_charset);
  REQUIRE(weird.text == "caf\xC3\xA9");
}

TEST_CASE("charset: the non-standard utf8 label is UTF-8", "[ingest][charset]") {
  auto d = decode_charset("\xE2\x82\xAC", "utf8");
  REQUIRE_FALSE(d.unknown_charset);
  REQUIRE(d.text == "\xE2\x82\xAC");
}

TEST_CASE("charset: invalid bytes in declared UTF-8 become U+FFFD and never fail", "[ingest][charset]") {
  auto d = decode_charset("a\xFF" "b\xC3", "UTF-8");
  REQUIRE(d.replaced_invalid);
  REQUIRE(d.text == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST_CASE("charset: undecodable multibyte input becomes U+FFFD, not a control character",
          "[ingest][charset]") {
  auto d = decode_charset("\x82\xA0\xFF", "shift_jis");
  REQUIRE(d.replaced_invalid);
  REQUIRE(d.text.find('\x1A') == std::string::npos);
  REQUIRE(d.text.find("\xEF\xBF\xBD") != std::string::npos);
  REQUIRE(d.text.rfind("\xE3\x81\x82", 0) == 0);  // HIRAGANA A
}

TEST_CASE("charset: ISO-2022-JP text made of ASCII bytes is still decoded", "[ingest][charset]") {
  REQUIRE(to_utf8("\x1B$B$\"\x1B(B", "ISO-2022-JP") == "\xE3\x81\x82");
}

TEST_CASE("charset: gb2312 is read as GB18030 so GBK characters survive", "[ingest][charset]") {
  // 0x81 0x40 is outside GB2312 but is U+4E02 in GBK/GB18030.
  REQUIRE(to_utf8("\xC4\xE3\x81\x40", "gb2312") == "\xE4\xBD\xA0\xE4\xB8\x82");
}

TEST_CASE("charset: output is valid UTF-8 whatever the bytes and label", "[ingest][charset]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  bytes += bytes;
  for (const char* label : {"", "utf-8", "iso-8859-1", "koi8-r", "shift_jis", "big5", "euc-kr",
                            "iso-2022-jp", "utf-16", "gb18030", "x-junk"}) {
    INFO(label);
    REQUIRE(is_valid_utf8(to_utf8(bytes, label)));
  }
}

TEST_CASE("charset: conversions on many threads at once agree", "[ingest][charset]") {
  const std::string input = "\xF0\xD2\xC9\xD7\xC5\xD4";  // "Привет" in koi8-r
  const std::string want = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
  std::vector<int> ok(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      int good = 0;
      for (int i = 0; i < 200; ++i) {
        good += to_utf8(input, "koi8-r") == want;
        good += to_utf8("caf\xE9", i % 2 ? "iso-8859-15" : "windows-1252") == "caf\xC3\xA9";
      }
      ok[static_cast<std::size_t>(t)] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (int good : ok) REQUIRE(good == 400);
}

TEST_CASE("charset: UTF-8 validation rejects overlongs, surrogates and out-of-range code points",
          "[ingest][charset]") {
  REQUIRE(is_valid_utf8("plain ascii"));
  REQUIRE(is_valid_utf8("\xF0\x9F\x98\x80"));
  REQUIRE_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  REQUIRE_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  REQUIRE_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  REQUIRE_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  REQUIRE(sanitize_utf8("a\xE2\x82z") == "a\xEF\xBF\xBDz");
}

TEST_CASE("charset: utf8_cut never splits a character", "[ingest][charset]") {
  const std::string s = "a\xC3\xA9z";  // a é z
  REQUIRE(utf8_cut(s, 0) == 0);
  REQUIRE(utf8_cut(s, 1) == 1);
  REQUIRE(utf8_cut(s, 2) == 1);
  REQUIRE(utf8_cut(s, 3) == 3);
  REQUIRE(utf8_cut(s, 99) == 4);
}
