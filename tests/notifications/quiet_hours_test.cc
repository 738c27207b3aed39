// Quiet hours in Danish local time: ordinary nights, daytime windows, no
// quiet hours, and the two daylight-saving nights of 2026 (29 March: 02:00
// becomes 03:00; 25 October: 03:00 becomes 02:00 again).
#include "services/notifications/quiet_hours.h"

#include "gtest/gtest.h"
#include "tests/notifications/time_test_util.h"

namespace brobygger::notifications {
namespace {

using testing::Dk;
using testing::Quiet;
using testing::Utc;

TEST(QuietHoursTest, AWindowSpanningMidnight) {
  const v1::QuietHours night = Quiet(21, 0, 8, 0);
  EXPECT_FALSE(InQuietHours(night, Dk(2026, 6, 10, 20, 59, 59)));
  EXPECT_TRUE(InQuietHours(night, Dk(2026, 6, 10, 21, 0)));
  EXPECT_TRUE(InQuietHours(night, Dk(2026, 6, 10, 23, 59, 59)));
  EXPECT_TRUE(InQuietHours(night, Dk(2026, 6, 11, 0, 0)));
  EXPECT_TRUE(InQuietHours(night, Dk(2026, 6, 11, 7, 59, 59)));
  EXPECT_FALSE(InQuietHours(night, Dk(2026, 6, 11, 8, 0)));
  EXPECT_FALSE(InQuietHours(night, Dk(2026, 6, 11, 12, 0)));

  EXPECT_EQ(QuietHoursEnd(night, Dk(2026, 6, 10, 22, 15)),
            Dk(2026, 6, 11, 8, 0));
  EXPECT_EQ(QuietHoursEnd(night, Dk(2026, 6, 11, 3, 0)), Dk(2026, 6, 11, 8, 0));
  // Outside quiet hours the answer is now itself.
  EXPECT_EQ(QuietHoursEnd(night, Dk(2026, 6, 11, 12, 34)),
            Dk(2026, 6, 11, 12, 34));
  EXPECT_EQ(QuietHoursEnd(night, Dk(2026, 6, 11, 8, 0)), Dk(2026, 6, 11, 8, 0));
}

TEST(QuietHoursTest, MinutesCount) {
  const v1::QuietHours night = Quiet(22, 30, 6, 45);
  EXPECT_FALSE(InQuietHours(night, Dk(2026, 1, 5, 22, 29)));
  EXPECT_TRUE(InQuietHours(night, Dk(2026, 1, 5, 22, 30)));
  EXPECT_EQ(QuietHoursEnd(night, Dk(2026, 1, 5, 22, 30)),
            Dk(2026, 1, 6, 6, 45));
}

TEST(QuietHoursTest, AWindowWithinOneDay) {
  const v1::QuietHours siesta = Quiet(13, 0, 15, 0);
  EXPECT_FALSE(InQuietHours(siesta, Dk(2026, 6, 10, 12, 59)));
  EXPECT_TRUE(InQuietHours(siesta, Dk(2026, 6, 10, 13, 0)));
  EXPECT_TRUE(InQuietHours(siesta, Dk(2026, 6, 10, 14, 59)));
  EXPECT_FALSE(InQuietHours(siesta, Dk(2026, 6, 10, 15, 0)));
  EXPECT_FALSE(InQuietHours(siesta, Dk(2026, 6, 10, 23, 0)));
  EXPECT_FALSE(InQuietHours(siesta, Dk(2026, 6, 11, 2, 0)));
  EXPECT_EQ(QuietHoursEnd(siesta, Dk(2026, 6, 10, 14, 0)),
            Dk(2026, 6, 10, 15, 0));
}

TEST(QuietHoursTest, EqualStartAndEndMeanNoQuietHours) {
  for (const v1::QuietHours& none :
       {Quiet(0, 0, 0, 0), Quiet(22, 0, 22, 0), v1::QuietHours()}) {
    for (int hour = 0; hour < 24; ++hour) {
      const absl::Time now = Dk(2026, 6, 10, hour, 0);
      EXPECT_FALSE(InQuietHours(none, now)) << hour;
      EXPECT_EQ(QuietHoursEnd(none, now), now);
    }
  }
}

TEST(QuietHoursTest, SpringForwardNightIsAnHourShorter) {
  // 21:00 CET on 28 March is 20:00 UTC; 08:00 CEST on 29 March 06:00 UTC.
  const v1::QuietHours night = Quiet(21, 0, 8, 0);
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 3, 28, 20, 0)));
  EXPECT_FALSE(InQuietHours(night, Utc(2026, 3, 28, 19, 59)));
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 3, 29, 1, 30)));  // 03:30 CEST
  EXPECT_EQ(QuietHoursEnd(night, Utc(2026, 3, 28, 22, 0)),
            Utc(2026, 3, 29, 6, 0));
  EXPECT_FALSE(InQuietHours(night, Utc(2026, 3, 29, 6, 0)));
}

TEST(QuietHoursTest, AnEndThatDoesNotExistIsReachedAtTheJump) {
  // 02:30 does not exist on 29 March 2026: clocks go from 01:59:59 CET
  // (00:59:59 UTC) to 03:00 CEST (01:00 UTC). Quiet hours end then, not an
  // hour later.
  const v1::QuietHours night = Quiet(22, 0, 2, 30);
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 3, 29, 0, 59, 59)));
  EXPECT_FALSE(InQuietHours(night, Utc(2026, 3, 29, 1, 0)));
  EXPECT_EQ(QuietHoursEnd(night, Utc(2026, 3, 28, 23, 0)),
            Utc(2026, 3, 29, 1, 0));
  // The next night is normal again: 02:30 CEST is 00:30 UTC.
  EXPECT_EQ(QuietHoursEnd(night, Dk(2026, 3, 29, 23, 0)),
            Utc(2026, 3, 30, 0, 30));
}

TEST(QuietHoursTest, AStartThatDoesNotExistOpensAtTheJump) {
  const v1::QuietHours early = Quiet(2, 30, 6, 0);
  EXPECT_FALSE(InQuietHours(early, Utc(2026, 3, 29, 0, 59, 59)));
  EXPECT_TRUE(InQuietHours(early, Utc(2026, 3, 29, 1, 0)));  // 03:00 CEST
  EXPECT_EQ(QuietHoursEnd(early, Utc(2026, 3, 29, 1, 0)),
            Utc(2026, 3, 29, 4, 0));  // 06:00 CEST
}

TEST(QuietHoursTest, WhenTheOnlyFreeHourDoesNotExistTheNightRunsOn) {
  // Quiet from 03:00 to 02:00: the free hour 02:00-03:00 is skipped on 29
  // March, so quiet hours last until 02:00 CEST on 30 March (00:00 UTC).
  const v1::QuietHours long_night = Quiet(3, 0, 2, 0);
  EXPECT_TRUE(InQuietHours(long_night, Utc(2026, 3, 29, 1, 0)));
  EXPECT_EQ(QuietHoursEnd(long_night, Dk(2026, 3, 28, 12, 0)),
            Utc(2026, 3, 30, 0, 0));
}

TEST(QuietHoursTest, FallBackNightIsAnHourLonger) {
  // 21:00 CEST on 24 October is 19:00 UTC; 08:00 CET on 25 October is
  // 07:00 UTC: eleven hours of wall clock, twelve real hours.
  const v1::QuietHours night = Quiet(21, 0, 8, 0);
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 10, 24, 19, 0)));
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 10, 25, 0, 30)));  // 02:30 CEST
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 10, 25, 1, 30)));  // 02:30 CET
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 10, 25, 6, 59)));
  EXPECT_FALSE(InQuietHours(night, Utc(2026, 10, 25, 7, 0)));
  EXPECT_EQ(QuietHoursEnd(night, Utc(2026, 10, 24, 20, 0)),
            Utc(2026, 10, 25, 7, 0));
}

TEST(QuietHoursTest, AnEndThatOccursTwiceEndsAtItsFirstInstance) {
  // 02:30 occurs at 00:30 UTC (CEST) and again at 01:30 UTC (CET). Quiet
  // hours end at the first and do not open again when the clocks go back
  // through 02:00-02:30.
  const v1::QuietHours night = Quiet(22, 0, 2, 30);
  EXPECT_TRUE(InQuietHours(night, Utc(2026, 10, 25, 0, 29)));
  EXPECT_FALSE(InQuietHours(night, Utc(2026, 10, 25, 0, 30)));
  EXPECT_FALSE(InQuietHours(night, Utc(2026, 10, 25, 1, 10)));  // 02:10 CET
  EXPECT_EQ(QuietHoursEnd(night, Utc(2026, 10, 24, 21, 0)),
            Utc(2026, 10, 25, 0, 30));
}

TEST(QuietHoursTest, AStartThatOccursTwiceOpensAtItsFirstInstance) {
  const v1::QuietHours early = Quiet(2, 15, 6, 0);
  EXPECT_FALSE(InQuietHours(early, Utc(2026, 10, 25, 0, 14)));
  EXPECT_TRUE(InQuietHours(early, Utc(2026, 10, 25, 0, 15)));  // 02:15 CEST
  EXPECT_TRUE(InQuietHours(early, Utc(2026, 10, 25, 1, 0)));   // 02:00 CET
  EXPECT_EQ(QuietHoursEnd(early, Utc(2026, 10, 25, 0, 15)),
            Utc(2026, 10, 25, 5, 0));  // 06:00 CET
}

}  // namespace
}  // namespace brobygger::notifications
