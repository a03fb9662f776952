import Foundation
import Vapor

/// Configuration, read once at start-up from the environment. A bad or missing value stops the start
/// with the list of everything that is wrong. Nothing else in the program reads the environment.
public struct AppConfig: Sendable {
    public enum DatabaseKind: String, Sendable { case sqlite, postgres }

    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)

        public var kind: DatabaseKind {
            switch self {
            case .sqlite: .sqlite
            case .postgres: .postgres
            }
        }
    }

    public enum LogFormat: String, Sendable { case text, json }

    public var database: Database
    /// Connections per event loop for PostgreSQL.
    public var databasePoolSize: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var bcryptCost: Int
    public var sessionLifetime: TimeInterval
    public var apiTokenLifetime: TimeInterval
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    public var trustProxy: Bool
    /// Always mark cookies `Secure` (behind TLS); otherwise they are when the request came over TLS.
    public var secureCookies: Bool
    public var loginMaxFailuresPerAccount: Int
    public var loginMaxFailuresPerAddress: Int
    public var loginWindow: TimeInterval
    public var loginLock: TimeInterval
    /// Rendered catalogue search answers kept per catalogue version (0 turns the cache off).
    public var searchCacheEntries: Int = 4096
    /// PostgreSQL: at most this many concurrent applications written in one transaction, and bearer look-ups read in
    /// one statement (0: one by one).
    public var applyBatchSize: Int = 64
    /// PostgreSQL: batches of applications written at once by one instance.
    public var applyBatchRunners: Int = 2
    /// Run Swift's tasks on the NIO event loops (no hop between them per request); nil: the default, on.
    public var nioExecutor: Bool? = nil
    /// The enrollment write path by name (`statements`, `direct`, `function`, `batch`); nil: this database's fastest.
    public var enrollmentWritePath: String? = nil

    /// Whether Swift's tasks run on the NIO event loops: by default yes, on both databases (see
    /// docs/decisions.md).
    public var usesNIOExecutor: Bool { nioExecutor ?? true }

    public init(database: Database = .sqlite(path: "navigator.sqlite"), databasePoolSize: Int = 8,
                logLevel: Logger.Level = .info, logFormat: LogFormat = .text, bcryptCost: Int = 12,
                sessionLifetime: TimeInterval = 12 * 3600, apiTokenLifetime: TimeInterval = 24 * 3600,
                trustProxy: Bool = false, secureCookies: Bool = false,
                loginMaxFailuresPerAccount: Int = 5, loginMaxFailuresPerAddress: Int = 30,
                loginWindow: TimeInterval = 15 * 60, loginLock: TimeInterval = 15 * 60) {
        self.database = database
        self.databasePoolSize = databasePoolSize
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.apiTokenLifetime = apiTokenLifetime
        self.trustProxy = trustProxy
        self.secureCookies = secureCookies
        self.loginMaxFailuresPerAccount = loginMaxFailuresPerAccount
        self.loginMaxFailuresPerAddress = loginMaxFailuresPerAddress
        self.loginWindow = loginWindow
        self.loginLock = loginLock
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String {
            "Конфигурация неверна:\n" + problems.map { "  - " + $0 }.joined(separator: "\n")
        }
    }

    /// The variables this program reads, with their meaning (printed in docs/operations.md too).
    public static let variables: [(String, String)] = [
        ("DATABASE_URL", "sqlite:///abs/path.sqlite, sqlite://relative.sqlite or postgres://user:pass@host:port/db; default: navigator.sqlite in the working directory"),
        ("DATABASE_POOL_SIZE", "PostgreSQL connections per event loop, 1–64; default 8"),
        ("LOG_LEVEL", "trace, debug, info, notice, warning, error, critical; default info"),
        ("LOG_FORMAT", "text or json; default text"),
        ("BCRYPT_COST", "4–31; default 12"),
        ("SESSION_HOURS", "lifetime of a browser session in hours, 1–720; default 12"),
        ("API_TOKEN_HOURS", "lifetime of an API token in hours, 1–8760; default 24"),
        ("TRUST_PROXY", "true when behind a reverse proxy that sets X-Forwarded-For/-Proto; default false"),
        ("SECURE_COOKIES", "true to always mark cookies Secure; default false (Secure when the request came over TLS)"),
        ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "failed logins before an account is locked for a while, 1–100; default 5"),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", "failed logins from one address before it is locked, 1–10000; default 30"),
        ("LOGIN_LOCK_MINUTES", "how long a lock lasts and the window failures are counted in, 1–1440; default 15"),
        ("SEARCH_CACHE_ENTRIES", "catalogue search answers kept until the catalogue changes, 0–100000 (0: off); default 4096"),
        ("APPLY_BATCH_SIZE", "PostgreSQL: concurrent applications written in one transaction and bearer look-ups read in one statement, 0–256 (0: one by one); default 64"),
        ("APPLY_BATCH_RUNNERS", "PostgreSQL: batches of applications one instance writes at once, 1–16; default 2"),
        ("NIO_EXECUTOR", "true to run Swift's tasks on the event loops that serve the connections; default true"),
        ("ENROLLMENT_WRITE_PATH", "statements (any database), direct (SQLite file), function or batch (PostgreSQL); default: direct on a SQLite file, batch on PostgreSQL (function when APPLY_BATCH_SIZE=0)"),
    ]

    /// Reads the configuration from `env`; throws `Invalid` listing every bad value.
    public static func load(from env: [String: String]) throws -> AppConfig {
        var config = AppConfig()
        var problems: [String] = []

        func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let raw = env[key], !raw.isEmpty else { return nil }
            guard let v = Int(raw), range.contains(v) else {
                problems.append("\(key)=\(raw.prefix(40)): ожидается целое число от \(range.lowerBound) до \(range.upperBound)")
                return nil
            }
            return v
        }
        func bool(_ key: String) -> Bool? {
            guard let raw = env[key], !raw.isEmpty else { return nil }
            switch raw.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default:
                problems.append("\(key)=\(raw.prefix(40)): ожидается true или false")
                return nil
            }
        }

        if let url = env["DATABASE_URL"], !url.isEmpty {
            do { config.database = try parseDatabaseURL(url) } catch let e as Invalid { problems += e.problems }
        }
        if let v = int("DATABASE_POOL_SIZE", 1...64) { config.databasePoolSize = v }
        if let raw = env["LOG_LEVEL"], !raw.isEmpty {
            if let level = Logger.Level(rawValue: raw.lowercased()) { config.logLevel = level } else {
                problems.append("LOG_LEVEL=\(raw.prefix(40)): ожидается trace, debug, info, notice, warning, error или critical")
            }
        }
        if let raw = env["LOG_FORMAT"], !raw.isEmpty {
            if let f = LogFormat(rawValue: raw.lowercased()) { config.logFormat = f } else {
                problems.append("LOG_FORMAT=\(raw.prefix(40)): ожидается text или json")
            }
        }
        if let v = int("BCRYPT_COST", 4...31) { config.bcryptCost = v }
        if let v = int("SESSION_HOURS", 1...720) { config.sessionLifetime = TimeInterval(v) * 3600 }
        if let v = int("API_TOKEN_HOURS", 1...8760) { config.apiTokenLifetime = TimeInterval(v) * 3600 }
        if let v = bool("TRUST_PROXY") { config.trustProxy = v }
        if let v = bool("SECURE_COOKIES") { config.secureCookies = v }
        if let v = int("SEARCH_CACHE_ENTRIES", 0...100_000) { config.searchCacheEntries = v }
        if let v = int("APPLY_BATCH_SIZE", 0...256) { config.applyBatchSize = v }
        if let v = int("APPLY_BATCH_RUNNERS", 1...16) { config.applyBatchRunners = v }
        if let v = bool("NIO_EXECUTOR") { config.nioExecutor = v }
        if let raw = env["ENROLLMENT_WRITE_PATH"], !raw.isEmpty {
            let allowed = ["statements", "direct", "function", "batch"]
            if allowed.contains(raw) { config.enrollmentWritePath = raw } else {
                problems.append("ENROLLMENT_WRITE_PATH=\(raw.prefix(40)): ожидается statements, direct, function или batch")
            }
        }
        if let v = int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 1...100) { config.loginMaxFailuresPerAccount = v }
        if let v = int("LOGIN_MAX_FAILURES_PER_ADDRESS", 1...10000) { config.loginMaxFailuresPerAddress = v }
        if let v = int("LOGIN_LOCK_MINUTES", 1...1440) {
            config.loginLock = TimeInterval(v) * 60
            config.loginWindow = TimeInterval(v) * 60
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        return config
    }

    static func parseDatabaseURL(_ url: String) throws -> Database {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty, !path.hasSuffix("/") else {
                throw Invalid(problems: ["DATABASE_URL: путь к файлу SQLite пуст (пример: sqlite:///var/lib/navigator/navigator.sqlite)"])
            }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard let comps = URLComponents(string: url), let host = comps.host, !host.isEmpty,
                  comps.path.count > 1 else {
                throw Invalid(problems: ["DATABASE_URL: ожидается postgres://пользователь:пароль@хост:порт/база"])
            }
            return .postgres(url: url)
        }
        throw Invalid(problems: ["DATABASE_URL: неизвестная схема (поддерживаются sqlite:// и postgres://)"])
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    public var config: AppConfig {
        get { storage[ConfigKey.self] ?? AppConfig() }
        set { storage[ConfigKey.self] = newValue }
    }
}
