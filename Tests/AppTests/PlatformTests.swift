@testable import App
import Domain
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite struct PlatformTests {
    /// Proves which database engine the run really used: the test command sets the expectation.
    @Test func runsOnTheExpectedDatabase() async throws {
        let expected = ProcessInfo.processInfo.environment["NAVIGATOR_TEST_EXPECT_DB"] ?? (TestDatabase.isPostgres ? "postgres" : "sqlite")
        try await withNavigator(demoChildren: nil) { app in
            let sql = app.db.sql
            if expected == "postgres" {
                let v = try await sql.raw("SELECT version() AS v").first()?.decode(column: "v", as: String.self)
                #expect(v?.hasPrefix("PostgreSQL") == true, "engine: \(v ?? "nil")")
                print("database engine: \(v ?? "?")")
            } else {
                let v = try await sql.raw("SELECT sqlite_version() AS v").first()?.decode(column: "v", as: String.self)
                #expect(v != nil)
                print("database engine: SQLite \(v ?? "?")")
            }
            #expect(app.config.database.kind.rawValue == expected)
        }
    }

    /// The hand-written JSON of an application reads exactly as the global encoder's: every field, escapes,
    /// dates, absent values.
    @Test func handWrittenApplicationJSONMatchesTheEncoder() throws {
        for (reason, due, previous) in [("Нет мест: \"группа\" \\ полна,\nследующий\tгод \u{01}", Date(timeIntervalSince1970: 1_790_000_123.9),
                                         UUID() as UUID?),
                                        (nil as String?, nil as Date?, nil as UUID?)] {
            let c = ContractModel()
            c.id = UUID(); c.regionCode = "42"; c.municipalityID = UUID(); c.providerID = UUID(); c.programID = UUID()
            c.moduleID = UUID(); c.groupID = UUID(); c.childID = UUID(); c.familyID = UUID(); c.certificateID = UUID(); c.periodID = UUID()
            c.funding = .certificate; c.status = .applied; c.fromWaitlist = true; c.createdAt = Date(timeIntervalSince1970: -86_401)
            var row = ContractRow(id: c.id!, regionCode: "42", municipalityID: c.municipalityID, providerID: c.providerID, programID: c.programID,
                                  moduleID: c.moduleID, groupID: c.groupID, childID: c.childID, familyID: c.familyID,
                                  certificateID: c.certificateID, periodID: c.periodID, funding: .certificate, status: .applied, startsOn: "",
                                  endsOn: "", plannedEndsOn: "", fullAmount: 0, certificateAmount: 0, parentAmount: 0, months: "", answerDue: nil,
                                  fromWaitlist: true, createdAt: c.createdAt, offeredAt: nil, activatedAt: nil, previousID: nil)
            row.setTerms(start: LocalDate(iso: "2026-09-01")!, end: LocalDate(iso: "2027-05-31")!,
                         quote: try ContractArithmetic.quote(.init(groupStart: LocalDate(iso: "2026-09-01")!, groupEnd: LocalDate(iso: "2027-05-31")!,
                                                                   price: Money(kopecks: 1_800_000), normative: Money(kopecks: 1_638_000), contractStart: LocalDate(iso: "2026-09-01")!,
                                                                   contractEnd: LocalDate(iso: "2027-05-31")!, balance: Money(kopecks: 1_200_000))).get())
            c.startsOn = row.startsOn; c.endsOn = row.endsOn; c.plannedEndsOn = row.plannedEndsOn; c.fullAmount = row.fullAmount
            c.certificateAmount = row.certificateAmount; c.parentAmount = row.parentAmount; c.months = row.months
            c.reason = reason; c.answerDue = due; c.previousID = previous; c.prolongation = previous == nil ? nil : .done
            let dto = EnrollmentAPIController.ApplicationDTO(c)
            var buffer = dto.json
            let mine = try JSONSerialization.jsonObject(with: Data(buffer.readBytes(length: buffer.readableBytes)!)) as! NSDictionary
            var encoded = ByteBuffer()
            var headers = HTTPHeaders()
            try ContentConfiguration.global.requireEncoder(for: .json).encode(dto, to: &encoded, headers: &headers)
            let theirs = try JSONSerialization.jsonObject(with: Data(encoded.readableBytesView)) as! NSDictionary
            #expect(mine == theirs, "\(mine)\n\(theirs)")
            #expect(mine.count == (reason == nil ? 19 : 23) && (mine["months"] as? [Any])?.count == 9)
        }
    }

    /// The one JSON writer escapes what JSON requires and what JavaScript does not take in a string (U+2028, U+2029),
    /// and every string reads back as written.
    @Test func theJSONWriterEscapesEverythingThatNeedsIt() throws {
        var random = SeededRandom(seed: 9)
        let pool: [Character] = ["a", "я", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "\u{2027}", "€", "😀", "/", " "]
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0...24, using: &random)).map { _ in random.pick(pool) })
            var w = JSONWriter()
            w.object { $0.field("s", text); $0.strings("list", [text, "x"]) }
            let raw = w.out
            #expect(!raw.contains("\u{2028}") && !raw.contains("\u{2029}"), "\(raw)")
            #expect(!raw.unicodeScalars.contains { $0.value < 0x20 }, "\(raw)")
            struct Back: Decodable { let s: String; let list: [String] }
            let back = try JSONDecoder().decode(Back.self, from: Data(raw.utf8))
            #expect(back.s == text && back.list == [text, "x"])
        }
        var w = JSONWriter()
        w.object { $0.field("a", "\u{2028}\u{2029}") }
        #expect(w.out == #"{"a":"\u2028\u2029"}"#)
    }

    @Test func routeLinksFillTheirId() {
        let id = UUID(uuidString: "0A1B2C3D-0000-4000-8000-00000000000F")!
        #expect(SiteRoute.familyApplication(id).url == "/family/applications/0a1b2c3d-0000-4000-8000-00000000000f")
        #expect(SiteRoute.familyApplicationProlongation(id).url == "/family/applications/0a1b2c3d-0000-4000-8000-00000000000f/prolongation")
        #expect(SiteRoute.fill("/a/:i", "x") == "/a/:i" && SiteRoute.fill(":id", "x") == "x" && SiteRoute.fill("", "x") == "")
        #expect(SiteRoute.agreements.url == "/municipality/agreements")
    }

    @Test func migrationsSeedTheReferenceData() async throws {
        try await withNavigator(demoChildren: nil) { app in
            #expect(try await RegionModel.query(on: app.db).count() == 2)
            #expect(try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").count() == 34)
            #expect(try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "22").count() == 69)
            #expect(try await DirectionModel.query(on: app.db).count() == 6)
            let osinniki = try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").filter(\.$code == "33").first()
            #expect(osinniki?.childrenIsEstimate == true)
            // Migrating again changes nothing.
            try await app.autoMigrate()
            #expect(try await MunicipalityModel.query(on: app.db).count() == 103)
        }
    }

    @Test func databaseConstraintsRefuseBadRows() async throws {
        try await withNavigator(demoChildren: 4) { app in
            let child = try await ChildModel.query(on: app.db).first()!
            let copy = ChildModel()
            copy.familyID = child.familyID
            copy.regionCode = child.regionCode
            copy.municipalityID = child.municipalityID
            copy.surname = "Дубль"
            copy.name = "Дубль"
            copy.patronymic = ""
            copy.birthDate = child.birthDate
            copy.sex = "male"
            copy.snils = child.snils
            await #expect(throws: (any Error).self) { try await copy.create(on: app.db) }
            copy.snils = "123"
            await #expect(throws: (any Error).self) { try await copy.create(on: app.db) }
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
            #expect(health.body.string.contains("\"ok\""))
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains(app.config.database.kind.rawValue))
            _ = try await app.testing().sendRequest(.GET, "/")
            let metrics = try await app.testing().sendRequest(.GET, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers.contentType?.description.hasPrefix("text/plain") == true)
            #expect(metrics.body.string.contains("http_requests_total"))
        }
    }

    @Test func everyResponseCarriesARequestIDAndSecurityHeaders() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let res = try await app.testing().sendRequest(.GET, "/", headers: ["X-Request-Id": "abc-123"])
            #expect(res.headers.first(name: "X-Request-Id") == "abc-123")
            let other = try await app.testing().sendRequest(.GET, "/", headers: ["X-Request-Id": "<bad id>"])
            #expect(other.headers.first(name: "X-Request-Id")?.count == 36)
            #expect(res.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(res.headers.first(name: "X-Frame-Options") == "DENY")
        }
    }

    @Test func configurationListsEveryBadValue() throws {
        do {
            _ = try AppConfig.load(from: ["DATABASE_URL": "mysql://x", "BCRYPT_COST": "99", "LOG_LEVEL": "loud", "TRUST_PROXY": "maybe"])
            Issue.record("bad configuration accepted")
        } catch let e as AppConfig.Invalid {
            #expect(e.problems.count == 4)
            #expect(e.description.contains("DATABASE_URL") && e.description.contains("BCRYPT_COST")
                    && e.description.contains("LOG_LEVEL") && e.description.contains("TRUST_PROXY"))
        }
        let ok = try AppConfig.load(from: ["DATABASE_URL": "postgres://u:p@127.0.0.1:5432/nav", "SESSION_HOURS": "2"])
        #expect(ok.database == .postgres(url: "postgres://u:p@127.0.0.1:5432/nav"))
        #expect(ok.sessionLifetime == 7200)
        #expect(try AppConfig.load(from: [:]).database == .sqlite(path: "navigator.sqlite"))
        #expect(try AppConfig.load(from: ["DATABASE_URL": "sqlite:///var/lib/n.sqlite"]).database == .sqlite(path: "/var/lib/n.sqlite"))
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["DATABASE_URL": "postgres://nohost"]) }
        // Tasks on the event loops: by default on both databases; NIO_EXECUTOR decides when set.
        #expect(ok.usesNIOExecutor)
        #expect(try AppConfig.load(from: [:]).usesNIOExecutor)
        #expect(try !AppConfig.load(from: ["NIO_EXECUTOR": "false"]).usesNIOExecutor)
        #expect(try !AppConfig.load(from: ["DATABASE_URL": "postgres://u:p@127.0.0.1:5432/nav", "NIO_EXECUTOR": "false"]).usesNIOExecutor)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["NIO_EXECUTOR": "maybe"]) }
    }
}
