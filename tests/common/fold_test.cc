#include "common/text/fold.h"

#include <string>

#include "gtest/gtest.h"

namespace brobygger::text {
namespace {

TEST(FoldForSearchTest, DanishLettersFoldLikeDanesTypeThem) {
  EXPECT_EQ(FoldForSearch("Kærby"), "kaerby");
  EXPECT_EQ(FoldForSearch("KAERBY"), "kaerby");
  EXPECT_EQ(FoldForSearch("KÆRBY"), "kaerby");
  EXPECT_EQ(FoldForSearch("Århus"), "aarhus");
  EXPECT_EQ(FoldForSearch("aarhus"), "aarhus");
  EXPECT_EQ(FoldForSearch("Søren"), "soeren");
  EXPECT_EQ(FoldForSearch("SØREN"), "soeren");
  EXPECT_EQ(FoldForSearch("Ringkøbing-Skjern"), "ringkoebing-skjern");
}

TEST(FoldForSearchTest, OtherLatinLettersLoseTheirAccents) {
  EXPECT_EQ(FoldForSearch("Café"), "cafe");
  EXPECT_EQ(FoldForSearch("Müller"), "muller");
  EXPECT_EQ(FoldForSearch("Björk Ängelholm"), "bjoerk aengelholm");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");
  EXPECT_EQ(FoldForSearch("Łódź"), "lodz");
  EXPECT_EQ(FoldForSearch("Şükrü Çelik"), "sukru celik");
  EXPECT_EQ(FoldForSearch("Œuvre"), "oeuvre");
}

TEST(FoldForSearchTest, DecomposedInputFoldsLikeComposed) {
  // NFD, as macOS sends it: A + combining ring, e + combining acute.
  EXPECT_EQ(FoldForSearch("A\xcc\x8arhus"), "aarhus");
  EXPECT_EQ(FoldForSearch("Cafe\xcc\x81"), "cafe");
  EXPECT_EQ(FoldForSearch("Bjo\xcc\x88rk"), "bjoerk");
}

TEST(FoldForSearchTest, OtherScriptsAreKept) {
  EXPECT_EQ(FoldForSearch("مرحبا"), "مرحبا");
  EXPECT_EQ(FoldForSearch("Олена ШЕВЧЕНКО"), "олена шевченко");
  EXPECT_EQ(FoldForSearch("ЇЖАК Ґанок"), "їжак ґанок");
  EXPECT_EQ(FoldForSearch("ትግርኛ"), "ትግርኛ");
}

TEST(FoldForSearchTest, WhitespaceIsCollapsedAndTrimmed) {
  EXPECT_EQ(FoldForSearch("  St.\t\tRestrup \n"), "st. restrup");
  EXPECT_EQ(FoldForSearch("a\xc2\xa0\xe2\x80\x83"
                          "b"),
            "a b");  // nbsp, em
  EXPECT_EQ(FoldForSearch(" \t\n "), "");
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(FoldForSearchTest, InvalidBytesAndControlsAreDropped) {
  EXPECT_EQ(FoldForSearch("K\xff\xc3rby"), "krby");
  EXPECT_EQ(FoldForSearch("ab\xc3"), "ab");
  EXPECT_EQ(FoldForSearch(std::string("a\0b\x07"
                                      "c",
                                      5)),
            "abc");
  EXPECT_EQ(FoldForSearch("\xc0\xafx"), "x");  // overlong '/'
}

TEST(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("Kærby"), 5);
  EXPECT_EQ(Utf8Length("Олена"), 5);
  EXPECT_EQ(Utf8Length("😀a"), 2);
}

TEST(Utf8LengthTest, InvalidIsMinusOne) {
  EXPECT_EQ(Utf8Length("\xff"), -1);
  EXPECT_EQ(Utf8Length("K\xc3"), -1);             // truncated
  EXPECT_EQ(Utf8Length("\xc0\xaf"), -1);          // overlong
  EXPECT_EQ(Utf8Length("\xed\xa0\x80"), -1);      // surrogate
  EXPECT_EQ(Utf8Length("\xf4\x90\x80\x80"), -1);  // above U+10FFFF
}

}  // namespace
}  // namespace brobygger::text
