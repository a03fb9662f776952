import Domain
import Foundation
import SQLKit
import Vapor

/// Who ran an operation that moves or writes off money: a signed-in person, or the command line / the server's
/// own schedule.
struct AuditActor: Sendable, Hashable {
    let userID: UUID?
    let label: String

    static let commandLine = AuditActor(userID: nil, label: "командная строка")
    static let schedule = AuditActor(userID: nil, label: "расписание сервера")

    static func person(_ p: Principal) -> AuditActor {
        AuditActor(userID: p.userID, label: "\(p.role.title), учётная запись \(p.userID.lowercasedString)")
    }
}

/// The audit log: one row per operation that moves or writes off money (a month's close, a period's close or
/// opening, an override of a date rule, an invoice's payment or deletion, a dispute's decision). Append only.
struct AuditLog: Sendable {
    let clock: AppClock

    struct Entry: Sendable, Hashable {
        let at: Date
        let actor: String
        let action: String
        let amount: Int64?
        let summary: String
    }

    func record(_ actor: AuditActor, _ action: String, municipalityID: UUID?, amount: Int64? = nil, _ summary: String,
                on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "audit_log")
            .columns("id", "created_at", "actor_id", "actor", "action", "municipality_id", "amount", "summary")
            .values(SQLBind(UUID()), SQLBind(clock.now()), SQLBind(actor.userID), SQLBind(actor.label), SQLBind(action),
                    SQLBind(municipalityID), SQLBind(amount), SQLBind(summary))
            .run()
    }

    func entries(municipalityID: UUID?, limit: Int = 50, on sql: any SQLDatabase) async throws -> [Entry] {
        var q = sql.select().columns("created_at", "actor", "action", "amount", "summary").from("audit_log")
        if let municipalityID { q = q.where("municipality_id", .equal, municipalityID) }
        return try await q.orderBy("created_at", .descending).limit(limit).all().map { r in
            Entry(at: try r.decode(column: "created_at", as: Date.self), actor: try r.decode(column: "actor", as: String.self),
                  action: try r.decode(column: "action", as: String.self), amount: try r.decode(column: "amount", as: Int64?.self),
                  summary: try r.decode(column: "summary", as: String.self))
        }
    }
}
