import Foundation

/// A refusal of one input field, with a message in Russian that names the field.
public struct FieldError: Error, Sendable, Hashable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Several refusals at once: a form shows all of them.
public struct ValidationFailure: Error, Sendable, Hashable {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }

    public var summary: String { errors.map(\.message).joined(separator: " ") }
}

public enum Validation {
    public static let maxEmailLength = 254
    public static let minPasswordLength = 8
    public static let maxPasswordLength = 128

    /// A control character or a lone surrogate replaced by the decoder: refused everywhere.
    public static func hasControlCharacters(_ s: String) -> Bool {
        s.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
                || scalar.value == 0x7F || scalar == "\u{FFFD}"
        }
    }

    /// The canonical form of an e-mail (trimmed, lower case), or an error naming the field.
    public static func email(_ raw: String, field: String = "email") -> Result<String, FieldError> {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if s.isEmpty {
            return .failure(FieldError(field: field, message: "Укажите адрес электронной почты."))
        }
        if s.count > maxEmailLength || hasControlCharacters(s) {
            return .failure(FieldError(field: field, message: "Адрес электронной почты слишком длинный или содержит недопустимые символы."))
        }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !s.contains(" "), !s.contains("<"), !s.contains(">"), !s.contains("\"")
        else {
            return .failure(FieldError(field: field, message: "Адрес электронной почты указан неверно: ожидается вид name@example.ru."))
        }
        return .success(s)
    }

    /// The name of an adult (a parent, a staff member): trimmed, up to 60 characters, no control
    /// characters or angle brackets. An empty optional name is "".
    public static func personName(_ raw: String, field: String, label: String, required: Bool) -> Result<String, FieldError> {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty {
            return required ? .failure(FieldError(field: field, message: "Укажите \(label).")) : .success("")
        }
        if s.count > 60 || hasControlCharacters(s) || s.contains("<") || s.contains(">") {
            return .failure(FieldError(field: field, message: "Поле «\(label)» слишком длинное или содержит недопустимые символы."))
        }
        return .success(s)
    }

    /// A new password: 8 to 128 characters, with at least one letter and one digit.
    public static func newPassword(_ s: String, field: String = "newPassword") -> FieldError? {
        if s.count < minPasswordLength {
            return FieldError(field: field, message: "Пароль должен содержать не менее \(minPasswordLength) символов.")
        }
        if s.count > maxPasswordLength {
            return FieldError(field: field, message: "Пароль должен содержать не более \(maxPasswordLength) символов.")
        }
        if hasControlCharacters(s) {
            return FieldError(field: field, message: "Пароль содержит недопустимые символы.")
        }
        if !s.contains(where: \.isLetter) || !s.contains(where: \.isNumber) {
            return FieldError(field: field, message: "Пароль должен содержать хотя бы одну букву и одну цифру.")
        }
        return nil
    }
}

/// Throttling of failed logins, per account and per address: a window in which failures are counted,
/// and a lock once the limit is reached.
public struct LoginThrottle: Sendable, Hashable {
    public struct State: Sendable, Hashable {
        public var failures: Int
        public var windowStart: Date
        public var lockedUntil: Date?

        public init(failures: Int, windowStart: Date, lockedUntil: Date?) {
            self.failures = failures
            self.windowStart = windowStart
            self.lockedUntil = lockedUntil
        }
    }

    public let maxFailures: Int
    public let window: TimeInterval
    public let lockDuration: TimeInterval

    public init(maxFailures: Int, window: TimeInterval, lockDuration: TimeInterval) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockDuration = lockDuration
    }

    /// Seconds left of a lock, or nil when attempts are allowed.
    public func lockRemaining(_ state: State?, now: Date) -> TimeInterval? {
        guard let until = state?.lockedUntil, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    /// The state after one more failure at `now`.
    public func recordFailure(_ state: State?, now: Date) -> State {
        var s = state ?? State(failures: 0, windowStart: now, lockedUntil: nil)
        if now.timeIntervalSince(s.windowStart) > window || (s.lockedUntil.map { $0 <= now } ?? false) {
            s = State(failures: 0, windowStart: now, lockedUntil: nil)
        }
        s.failures += 1
        if s.failures >= maxFailures {
            s.lockedUntil = now.addingTimeInterval(lockDuration)
        }
        return s
    }

    /// «Попробуйте снова через 15 мин.»
    public static func message(remaining: TimeInterval) -> String {
        let minutes = max(1, Int((remaining / 60).rounded(.up)))
        return "Слишком много неудачных попыток входа. Вход временно заблокирован, попробуйте снова через \(minutes) мин."
    }
}
