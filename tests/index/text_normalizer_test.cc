// text_normalizer_test.cc: one normalisation for indexed text and queries.
#include "index/text_normalizer.h"

#include <catch2/catch.hpp>

using folio::index::normalize_text;

TEST_CASE("normalizer: ASCII is only lower-cased", "[index][normalizer]") {
  REQUIRE(normalize_text("Hello, World 42!") == "hello, world 42!");
}

TEST_CASE("normalizer: accents, case and compatibility forms fold", "[index][normalizer]") {
  REQUIRE(normalize_text("Café") == "cafe");
  REQUIRE(normalize_text("CAFÉ") == "cafe");
  REQUIRE(normalize_text("Ｆｕｌｌｗｉｄｔｈ") == "fullwidth");
  REQUIRE(normalize_text("Straße") == "strasse");
  REQUIRE(normalize_text("ﬁle") == "file");
}

TEST_CASE("normalizer: CJK text passes through unchanged", "[index][normalizer]") {
  REQUIRE(normalize_text("日本語のテキスト") == "日本語のテキスト");
}
