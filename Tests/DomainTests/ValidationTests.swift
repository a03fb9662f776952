import Domain
import Foundation
import Testing

@Suite struct ValidationTests {
    @Test func emails() throws {
        #expect(try Validation.email("  Parent@Osinniki.Example ").get() == "parent@osinniki.example")
        for bad in ["", "no-at-sign", "a@b", "@example.ru", "a@.ru", "a b@example.ru", "<script>@x.ru",
                    String(repeating: "a", count: 300) + "@example.ru", "a\u{0}@example.ru"] {
            #expect(throws: FieldError.self) { try Validation.email(bad).get() }
        }
        if case .failure(let e) = Validation.email("") { #expect(e.field == "email" && e.message.contains("электронной почты")) }
    }

    @Test func newPasswords() {
        #expect(Validation.newPassword("короткий1") == nil)
        #expect(Validation.newPassword("short1")?.field == "newPassword")
        #expect(Validation.newPassword("onlyletters") != nil)
        #expect(Validation.newPassword("12345678") != nil)
        #expect(Validation.newPassword(String(repeating: "a1", count: 65)) != nil)
    }

    @Test func throttleLocksAfterTheLimitAndForgetsAfterTheWindow() {
        let t = LoginThrottle(maxFailures: 3, window: 900, lockDuration: 900)
        let start = Date(timeIntervalSince1970: 1_000_000)
        var s: LoginThrottle.State? = nil
        for i in 0..<2 {
            s = t.recordFailure(s, now: start.addingTimeInterval(Double(i)))
            #expect(t.lockRemaining(s, now: start.addingTimeInterval(Double(i))) == nil)
        }
        s = t.recordFailure(s, now: start.addingTimeInterval(2))
        #expect(t.lockRemaining(s, now: start.addingTimeInterval(3)) != nil)
        #expect(t.lockRemaining(s, now: start.addingTimeInterval(903)) == nil)
        // After the window, counting starts again.
        let later = t.recordFailure(s, now: start.addingTimeInterval(2000))
        #expect(later.failures == 1 && later.lockedUntil == nil)
        #expect(LoginThrottle.message(remaining: 61).contains("2 мин"))
    }

    @Test func moneyIsFormattedTheRussianWay() {
        #expect(Money(kopecks: 1_800_000).formatted == "18\u{202F}000,00\u{00A0}₽")
        #expect(Money(kopecks: 131_872).formatted == "1\u{202F}318,72\u{00A0}₽")
        #expect(Money(kopecks: 5).formatted == "0,05\u{00A0}₽")
        #expect(Money(kopecks: -100).formatted == "−1,00\u{00A0}₽")
        #expect(Money(rubles: 12_000) == Money(kopecks: 1_200_000))
    }
}
