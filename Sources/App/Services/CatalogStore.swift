import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// This instance's copy of the public catalogue (`Domain.Catalog`: published programs and their search
/// index). Built from the database at start-up; kept current by the change counter `catalog_state.seq`,
/// which every registry change raises in its own transaction (so the counter's order is the commit order):
/// an instance that changed the catalogue refreshes at once, every other instance notices within
/// `pollInterval` on its next catalogue request and loads only the programs changed since.
final class CatalogStore: Sendable {
    struct State {
        var catalog = Catalog()
        var seq: Int64 = -1
        /// The next local midnight after the load: groups open and close by date, so the catalogue is rebuilt then.
        var validUntil: Date = .distantPast
        var checkedAt: Date = .distantPast
        /// Free places change with every application without touching the change counter (which would
        /// serialize enrollment on one row): groups whose `updated_at` moved since this time are re-read.
        var placesCheckedAt: Date = .distantPast
        /// This instance's version of the catalogue: changes with every change applied (for the answer cache).
        var version: Int64 = 0
    }

    private let state = NIOLockedValueBox(State())
    private let refreshing = NIOLockedValueBox(false)
    let pollInterval: TimeInterval = 1
    static let zone = TimeZone(identifier: "Asia/Novokuznetsk")!

    /// The catalogue as it is now (a copy-on-write value: search it without holding anything).
    func current(_ app: some CatalogEnvironment) async throws -> Catalog {
        try await versioned(app).catalog
    }

    /// The version (change counter) of the catalogue as it is now, without copying the catalogue.
    func version(_ app: some CatalogEnvironment) async throws -> Int64 {
        let (seq, validUntil, checkedAt) = state.withLockedValue { ($0.seq, $0.validUntil, $0.checkedAt) }
        let now = app.clock.now()
        if seq >= 0 && now < validUntil && now.timeIntervalSince(checkedAt) < pollInterval {
            return state.withLockedValue { $0.version }
        }
        return try await versioned(app).seq
    }

    /// The catalogue with its version (the change counter it reflects).
    func versioned(_ app: some CatalogEnvironment) async throws -> (catalog: Catalog, seq: Int64) {
        let (seq, validUntil, checkedAt) = state.withLockedValue { ($0.seq, $0.validUntil, $0.checkedAt) }
        let now = app.clock.now()
        if seq < 0 || now >= validUntil {
            try await reload(app)
        } else if now.timeIntervalSince(checkedAt) >= pollInterval {
            try await refresh(app)
        }
        return state.withLockedValue { ($0.catalog, $0.version) }
    }

    /// Rebuilds the catalogue from the database.
    func reload(_ app: some CatalogEnvironment) async throws {
        let now = app.clock.now()
        let today = LocalDate(now, in: TimeZone(identifier: "Asia/Novokuznetsk")!)
        let seq = try await Self.seq(app.db)
        let programs = try await Self.load(app.db, changedAfter: -1, today: today)
        var catalog = Catalog.build(programs.compactMap { $0.1 })
        catalog.optimize()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.zone
        let midnight = calendar.startOfDay(for: now).addingTimeInterval(24 * 3600)
        state.withLockedValue {
            $0 = State(catalog: catalog, seq: seq, validUntil: midnight, checkedAt: now, placesCheckedAt: now, version: $0.version + 1)
        }
        app.logger.info("catalog loaded", metadata: ["programs": .stringConvertible(catalog.count), "seq": .stringConvertible(seq)])
    }

    /// Applies the changes committed since the last look (one instance at a time; others keep reading).
    func refresh(_ app: some CatalogEnvironment) async throws {
        guard refreshing.withLockedValue({ busy in
            if busy { return false }
            busy = true
            return true
        }) else { return }
        defer { refreshing.withLockedValue { $0 = false } }
        let now = app.clock.now()
        let known = state.withLockedValue { $0.seq }
        let seq = try await Self.seq(app.db)
        try await refreshPlaces(app, now: now)
        guard seq != known else {
            state.withLockedValue { $0.checkedAt = now }
            return
        }
        let today = LocalDate(now, in: TimeZone(identifier: "Asia/Novokuznetsk")!)
        let changed = try await Self.load(app.db, changedAfter: known, today: today)
        state.withLockedValue { s in
            for (id, program) in changed {
                if let program { s.catalog.upsert(program) } else { s.catalog.remove(id) }
            }
            if s.catalog.needsCompaction { s.catalog = Catalog.build(s.catalog.programs) }
            s.catalog.optimize()
            s.seq = max(s.seq, seq)
            s.checkedAt = now
            s.version += 1
        }
    }

    /// Patches the free places of groups changed since the last look (with a minute of overlap for
    /// transactions still committing and for clocks of other instances).
    private func refreshPlaces(_ app: some CatalogEnvironment, now: Date) async throws {
        let since = state.withLockedValue { $0.placesCheckedAt }.addingTimeInterval(-60)
        let rows = try await app.db.sql.select().columns("id", "program_id", "capacity", "taken").from("program_groups")
            .where("updated_at", .greaterThanOrEqual, since).all()
        var free: [String: [String: Int]] = [:]
        for r in rows {
            let program = try r.decode(column: "program_id", as: UUID.self).uuidString.lowercased()
            let group = try r.decode(column: "id", as: UUID.self).uuidString.lowercased()
            free[program, default: [:]][group] = max(0, try r.decode(column: "capacity", as: Int.self) - r.decode(column: "taken", as: Int.self))
        }
        state.withLockedValue { s in
            s.placesCheckedAt = now
            var changed = false
            for (id, groups) in free {
                guard var p = s.catalog.program(id) else { continue }
                var differs = false
                for k in p.groups.indices {
                    if let f = groups[p.groups[k].id], f != p.groups[k].freePlaces {
                        p.groups[k].freePlaces = f
                        differs = true
                    }
                }
                if differs {
                    s.catalog.upsert(p)
                    changed = true
                }
            }
            if changed { s.version += 1 }
        }
    }

    static func seq(_ db: any Database) async throws -> Int64 {
        try await db.sql.select().column("seq").from("catalog_state").where("id", .equal, 1).first()?.decode(column: "seq", as: Int64.self) ?? 0
    }

    /// Raises the change counter inside the caller's transaction; the new value marks the changed programs.
    static func bump(_ tx: any Database) async throws -> Int64 {
        guard let row = try await tx.sql.update("catalog_state")
            .set(SQLIdentifier("seq"), to: SQLBinaryExpression(SQLIdentifier("seq"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, 1).returning("seq").first() else { throw Abort(.internalServerError, reason: "catalog_state missing") }
        return try row.decode(column: "seq", as: Int64.self)
    }

    private struct ProgramRow: Decodable {
        let id: UUID
        let name: String
        let annotation: String
        let provider_id: UUID
        let provider_name: String
        let provider_status: ProviderStatus
        let direction: String
        let activity_kinds: String
        let level: String
        let form: String
        let age_from: Int
        let age_to: Int
        let region_code: String
        let municipality_code: String
        let municipality_name: String
        let funding: FundingKind
        let disabilities: String
        let status: ProgramStatus
        let updated_at: Date?
    }

    private struct ModuleRow: Decodable {
        let id: UUID
        let program_id: UUID
        let position: Int
        let name: String
        let months: Int
        let hours: Int
        let price: Int64
        let normative: Int64?
    }

    private struct GroupRow: Decodable {
        let id: UUID
        let program_id: UUID
        let module_id: UUID
        let name: String
        let teacher: String
        let address: String
        let latitude: Double?
        let longitude: Double?
        let starts_on: String
        let ends_on: String
        let capacity: Int
        let taken: Int
        let schedule: String
        let enroll_until: String?
        let status: GroupStatus
    }

    /// Programs changed after `seq`: each with its catalogue entry, or nil when it is not (or no longer) published.
    static func load(_ db: any Database, changedAfter seq: Int64, today: LocalDate) async throws -> [(String, CatalogProgram?)] {
        let sql = db.sql
        let programs = try await sql.raw("""
            SELECT p.id, p.name, p.annotation, p.provider_id, pr.short_name AS provider_name, pr.status AS provider_status,
                   p.direction, p.activity_kinds, p.level, p.form, p.age_from, p.age_to, p.region_code,
                   m.code AS municipality_code, m.name AS municipality_name, p.funding, p.disabilities, p.status, p.updated_at
            FROM programs p JOIN providers pr ON pr.id = p.provider_id JOIN municipalities m ON m.id = p.municipality_id
            WHERE p.change_seq > \(bind: seq)
            """).all(decoding: ProgramRow.self)
        if programs.isEmpty { return [] }
        let modules = try await sql.raw("""
            SELECT pm.id, pm.program_id, pm.position, pm.name, pm.months, pm.hours, pm.price, pm.normative
            FROM program_modules pm JOIN programs p ON p.id = pm.program_id
            WHERE p.change_seq > \(bind: seq) AND p.status = \(unsafeRaw: ProgramStatus.certified.sqlLiteral)
            """).all(decoding: ModuleRow.self)
        let groups = try await sql.raw("""
            SELECT g.id, g.program_id, g.module_id, g.name, g.teacher, g.address, g.latitude, g.longitude, g.starts_on, g.ends_on,
                   g.capacity, g.taken, g.schedule, g.enroll_until, g.status
            FROM program_groups g JOIN programs p ON p.id = g.program_id
            WHERE p.change_seq > \(bind: seq) AND p.status = \(unsafeRaw: ProgramStatus.certified.sqlLiteral)
            """).all(decoding: GroupRow.self)
        var modulesOf: [UUID: [ModuleRow]] = [:]
        for m in modules { modulesOf[m.program_id, default: []].append(m) }
        var groupsOf: [UUID: [GroupRow]] = [:]
        for g in groups { groupsOf[g.program_id, default: []].append(g) }
        let todayISO = today.iso
        return programs.map { p in
            let key = p.id.uuidString.lowercased()
            let ms = (modulesOf[p.id] ?? []).sorted { $0.position < $1.position }
            guard p.status == .certified, p.provider_status == .active, !ms.isEmpty,
                  let direction = Direction(rawValue: p.direction), let level = ProgramLevel(rawValue: p.level),
                  let form = StudyForm(rawValue: p.form), case let funding = p.funding
            else { return (key, nil) }
            let gs = (groupsOf[p.id] ?? []).compactMap { g -> CatalogGroup? in
                guard let start = LocalDate(iso: g.starts_on), let end = LocalDate(iso: g.ends_on) else { return nil }
                let open = g.status == .open && g.ends_on >= todayISO && (g.enroll_until.map { $0 >= todayISO } ?? true)
                return CatalogGroup(id: g.id.uuidString.lowercased(), moduleID: g.module_id.uuidString.lowercased(), name: g.name,
                                    teacher: g.teacher, address: g.address, latitude: g.latitude, longitude: g.longitude,
                                    startsOn: start, endsOn: end, capacity: g.capacity, freePlaces: max(0, g.capacity - g.taken),
                                    schedule: GroupModel.decodeSchedule(g.schedule), open: open)
            }.sorted { ($0.startsOn, $0.name) < ($1.startsOn, $1.name) }
            let program = CatalogProgram(
                id: key, name: p.name, annotation: p.annotation, providerID: p.provider_id.uuidString.lowercased(),
                providerName: p.provider_name, direction: direction, activityKinds: p.activity_kinds.split(separator: ",").map(String.init),
                level: level, form: form, ageFrom: p.age_from, ageTo: p.age_to, regionCode: p.region_code,
                municipality: p.region_code + "-" + p.municipality_code, municipalityName: p.municipality_name, funding: funding,
                disabilities: p.disabilities.split(separator: ",").compactMap { DisabilityCategory(rawValue: String($0)) },
                modules: ms.map { CatalogModule(id: $0.id.uuidString.lowercased(), name: $0.name, months: $0.months, hours: $0.hours,
                                                price: $0.price, normative: $0.normative) },
                groups: gs, rating: nil, updatedAt: p.updated_at ?? Date(timeIntervalSince1970: 0))
            return (key, program)
        }
    }
}

/// Rendered search answers of one catalogue version: popular queries (and a crowd on enrollment day) are
/// answered without searching again. Dropped whole when the catalogue changes or the cache is full.
final class SearchCache: Sendable {
    private struct State {
        var seq: Int64 = -1
        var entries: [CatalogQuery: ByteBuffer] = [:]
    }
    private let state = NIOLockedValueBox(State())
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ q: CatalogQuery, seq: Int64) -> ByteBuffer? {
        guard capacity > 0 else { return nil }
        return state.withLockedValue { $0.seq == seq ? $0.entries[q] : nil }
    }

    func put(_ q: CatalogQuery, _ body: ByteBuffer, seq: Int64) {
        guard capacity > 0 else { return }
        state.withLockedValue { s in
            if s.seq != seq || s.entries.count >= capacity {
                s.entries.removeAll(keepingCapacity: true)
                s.seq = seq
            }
            s.entries[q] = body
        }
    }
}

extension Application {
    private struct SearchCacheKey: StorageKey { typealias Value = SearchCache }

    var searchCache: SearchCache {
        if let c = storage[SearchCacheKey.self] { return c }
        let c = SearchCache(capacity: config.searchCacheEntries)
        storage[SearchCacheKey.self] = c
        return c
    }

    private struct CatalogStoreKey: StorageKey { typealias Value = CatalogStore }

    var catalogStore: CatalogStore {
        if let s = storage[CatalogStoreKey.self] { return s }
        let s = CatalogStore()
        storage[CatalogStoreKey.self] = s
        return s
    }
}

/// What the catalogue store reads with: the clock, the database and the logger (the application, or a service's store).
protocol CatalogEnvironment {
    var clock: AppClock { get }
    var db: any Database { get }
    var logger: Logger { get }
}

extension Application: CatalogEnvironment {}

/// A service's way to the catalogue: the store of this instance read with the service's database and clock.
struct CatalogAccess: CatalogEnvironment, Sendable {
    let store: Store
    let clock: AppClock
    let catalog: CatalogStore

    var db: any Database { store.db }
    var logger: Logger { store.logger }

    /// Applies the changes just committed to this instance's catalogue.
    func refresh() async throws { try await catalog.refresh(self) }
    func reload() async throws { try await catalog.reload(self) }
}
