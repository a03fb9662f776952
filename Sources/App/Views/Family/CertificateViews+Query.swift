import Domain
import Fluent
import Foundation
import SQLKit

extension CertificateViews.Ledger {
    /// The certificate's amounts per period and each period's statement (empty without a certificate).
    static func query(_ cert: CertificateModel?, ledger: LedgerService, on db: any Database) async throws -> Self {
        guard let cert else { return Self(periods: []) }
        let rows = try await db.sql.select().columns("period_id", "granted", "reserved", "spent", "expired").from("ledger_balances")
            .where("certificate_id", .equal, cert.requireID()).all()
        guard !rows.isEmpty else { return Self(periods: []) }
        var periods: [UUID: PeriodModel] = [:]
        for p in try await PeriodModel.query(on: db).filter(\.$municipalityID == cert.municipalityID).all() { periods[p.id!] = p }
        var out: [Period] = []
        for r in rows {
            let pid = try r.decode(column: "period_id", as: UUID.self)
            let lines = try await ledger.statement(certificateID: cert.requireID(), periodID: pid, on: db)
            out.append(Period(startsOn: periods[pid].flatMap { LocalDate(iso: $0.startsOn) }, endsOn: periods[pid].flatMap { LocalDate(iso: $0.endsOn) },
                              balance: try LedgerBalance(row: r), lines: lines))
        }
        return Self(periods: out)
    }
}
