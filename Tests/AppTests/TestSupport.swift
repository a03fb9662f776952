@testable import App
import Domain
import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Which database the tests run on: `TEST_DATABASE_URL=postgres://…` selects PostgreSQL (each test gets
/// a fresh database, dropped afterwards); otherwise each test gets a fresh SQLite file.
enum TestDatabase {
    static var url: String? { ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var isPostgres: Bool { url?.hasPrefix("postgres") ?? false }

    static func admin(_ sql: String) async throws {
        guard let url, var comps = URLComponents(string: url) else { return }
        comps.path = "/postgres"
        var config = try SQLPostgresConfiguration(url: comps.string!).coreConfiguration
        config.options.requireBackendKeyData = false
        let conn = try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                        configuration: config, id: 1, logger: Logger(label: "test-admin"))
        defer { Task { try? await conn.close() } }
        _ = try await conn.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-admin"))
        try await conn.close()
    }

    /// A fresh, empty database for one test.
    static func make() async throws -> (AppConfig.Database, cleanup: @Sendable () async -> Void) {
        if let url, isPostgres {
            let name = "nav_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try await admin("CREATE DATABASE \(name)")
            var comps = URLComponents(string: url)!
            comps.path = "/" + name
            return (.postgres(url: comps.string!), { try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nav-test-\(UUID().uuidString).sqlite").path
        return (.sqlite(path: path), {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        })
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let value: NIOLockedValueBox<Date>
    init(_ date: Date = Date(timeIntervalSince1970: 1_795_334_400)) { value = .init(date) }  // 2026-11-22 12:00 +07
    var now: Date { value.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
    var appClock: AppClock { AppClock(now: { [self] in self.now }) }
}

/// A configured, migrated application on a fresh database; with `demoChildren` it also holds the demo.
func withNavigator<T>(demoChildren: Int? = 20, demoCertificates: Bool = true, demoEnrollments: Bool = false, clock: TestClock = TestClock(),
                      ids: IDGenerator = .random, adjust: (inout AppConfig) -> Void = { _ in },
                      _ body: (Application) async throws -> T) async throws -> T {
    let (database, cleanup) = try await TestDatabase.make()
    var config = AppConfig(database: database, databasePoolSize: 2, logLevel: .warning, bcryptCost: 4)
    adjust(&config)
    let app = try await Application.make(.testing)
    do {
        try await configure(app, config: config, clock: clock.appClock, ids: ids)
        try await app.migrateSchema()
        if let demoChildren {
            var demo = DemoService(db: app.db, app: app, clock: app.clock)
            demo.withCertificates = demoCertificates
            demo.withEnrollments = demoEnrollments
            _ = try await demo.load(DemoPlan(children: demoChildren), progress: DemoProgress(label: "test", enabled: false))
        }
        let result = try await body(app)
        try await app.asyncShutdown()
        await cleanup()
        return result
    } catch {
        try? await app.asyncShutdown()
        await cleanup()
        throw error
    }
}

/// A browser for in-memory tests: keeps cookies and sends the CSRF token with every form.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    var csrf: String { cookies[CSRFMiddleware.cookie] ?? "" }

    private func remember(_ res: TestingHTTPResponse) {
        for value in res.headers[.setCookie] {
            let pair = value.split(separator: ";", maxSplits: 1).first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if value.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
        }
    }

    private var cookieHeader: HTTPHeaders {
        var h = HTTPHeaders()
        if !cookies.isEmpty { h.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        return h
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        let res = try await app.testing().sendRequest(.GET, path, headers: cookieHeader)
        remember(res)
        return res
    }

    /// Posts a form; the CSRF token is added unless `csrf: false`.
    @discardableResult
    func post(_ path: String, _ form: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        if cookies[CSRFMiddleware.cookie] == nil { try await get("/") }
        var fields = form
        if csrf { fields[CSRFMiddleware.field] = self.csrf }
        var headers = cookieHeader
        headers.contentType = .urlEncodedForm
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        let res = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(res)
        return res
    }

    @discardableResult
    func login(_ email: String, _ password: String = DemoPlan.password) async throws -> TestingHTTPResponse {
        try await post("/login", ["email": email, "password": password])
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }
}

/// JSON API helpers.
func apiToken(_ app: Application, _ email: String, _ password: String = DemoPlan.password) async throws -> String {
    let res = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                  body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#))
    #expect(res.status == .ok, "token for \(email): \(res.body.string)")
    struct T: Decodable { let token: String }
    return try JSONDecoder().decode(T.self, from: res.body).token
}

func apiGet(_ app: Application, _ path: String, token: String?) async throws -> TestingHTTPResponse {
    var h = HTTPHeaders()
    if let token { h.bearerAuthorization = BearerAuthorization(token: token) }
    return try await app.testing().sendRequest(.GET, path, headers: h)
}

/// The enrollment services as the tests call them.
struct Enrollment {
    let app: Application
    var services: EnrollmentServices { app.navigator.enrollment }

    func apply(child: ChildModel, groupID: UUID, start: LocalDate?) async throws -> ContractModel {
        ContractModel(try await services.applications.apply(.init(childID: child.requireID(), family: nil, groupID: groupID, start: start)))
    }

    @discardableResult
    func step(_ id: UUID, _ event: ContractEvent, by principal: Principal?) async throws -> ContractModel {
        try await services.steps.step(id, event, by: principal)
    }

    func sweep() async throws -> EnrollmentSweep.Result { try await services.sweep.run() }

    @discardableResult
    func setProlongation(_ id: UUID, prolong: Bool, by principal: Principal) async throws -> ContractModel {
        try await services.prolongations.choose(id, prolong: prolong, by: principal)
    }

    func prolong(municipalityID: UUID) async throws -> Prolongations.Result { try await services.prolongations.prolong(municipalityID: municipalityID) }

    func verify(on db: any Database) async throws -> (checked: Int, problems: [String]) { try await services.verifier.verify(on: db) }

    func plan(child: ChildModel, groupID: UUID, start: LocalDate?, on db: any Database) async throws -> EnrollmentPlan {
        try await services.reader.plan(child: child, groupID: groupID, start: start, now: app.clock.now(), on: db)
    }

    func joinWaitlist(child: ChildModel, groupID: UUID, start: LocalDate?) async throws -> WaitlistModel {
        try await services.waitingLists.join(child: child, plan: plan(child: child, groupID: groupID, start: start, on: app.db))
    }

    func applyBatch(_ items: [ApplicationService.Request]) async -> [ApplicationService.Outcome] { await services.applications.applyBatch(items) }
}
