import Domain
import Foundation
import Testing

@Suite struct LocalDateTests {
    @Test func parsesOnlyStrictISODates() {
        #expect(LocalDate(iso: "2026-09-01") == LocalDate(year: 2026, month: 9, day: 1))
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2025-02-29") == nil)
        #expect(LocalDate(iso: "2026-9-1") == nil)
        #expect(LocalDate(iso: "2026-13-01") == nil)
        #expect(LocalDate(iso: "２０２６-09-01") == nil)
        #expect(LocalDate(iso: "") == nil)
    }

    /// Property: day numbers and dates are a bijection, consecutive days are one apart.
    @Test func paddingMatchesPrintf() {
        for n in [-1234, -12, -1, 0, 5, 9, 10, 42, 99, 100, 999, 1000, 2026, 12345] {
            for w in [2, 4] { #expect(LocalDate.pad(n, w) == String(format: "%0\(w)d", n), "\(n) \(w)") }
        }
        #expect(LocalDate(iso: "0987-03-04")!.iso == "0987-03-04")
        #expect(LocalDate(iso: "2026-09-01")!.russian == "01.09.2026")
        #expect(ScheduleSlot.time(9 * 60 + 5) == "09:05")
    }

    @Test func dayNumbersRoundTrip() {
        var previous: LocalDate? = nil
        for n in stride(from: -719_162, through: 2_932_896, by: 13) {
            let d = LocalDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(LocalDate(year: d.year, month: d.month, day: d.day) == d)
            if let previous { #expect(previous < d) }
            previous = d
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(LocalDate(year: 2026, month: 9, day: 1)!.adding(days: 272) == LocalDate(year: 2027, month: 5, day: 31))
    }

    @Test func ageCountsWholeYears() {
        let birth = LocalDate(year: 2008, month: 11, day: 22)!
        #expect(birth.age(on: LocalDate(year: 2026, month: 11, day: 21)!) == 17)
        #expect(birth.age(on: LocalDate(year: 2026, month: 11, day: 22)!) == 18)
        let leap = LocalDate(year: 2012, month: 2, day: 29)!
        #expect(leap.adding(years: 1) == LocalDate(year: 2013, month: 2, day: 28))
        #expect(leap.age(on: LocalDate(year: 2017, month: 2, day: 28)!) == 4)
        #expect(leap.age(on: LocalDate(year: 2017, month: 3, day: 1)!) == 5)
    }

    @Test func localDateOfAnInstantDependsOnTheRegionZone() {
        // 2026-08-31 18:30 UTC is already 1 September in Novokuznetsk (UTC+7).
        let instant = Date(timeIntervalSince1970: 1_788_201_000)
        #expect(LocalDate(instant, in: TimeZone(identifier: "Asia/Novokuznetsk")!) == LocalDate(year: 2026, month: 9, day: 1))
        #expect(LocalDate(instant, in: TimeZone(identifier: "UTC")!) == LocalDate(year: 2026, month: 8, day: 31))
    }
}
