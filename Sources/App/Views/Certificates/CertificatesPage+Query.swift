import Domain
import Fluent
import Foundation
import SQLKit

extension CertificatesPage {
    /// The certificates of a municipality for its confirming staff: without a search, the applications waiting for
    /// confirmation; with one, those whose number or child's СНИЛС is the digits typed, or whose child's surname or
    /// name starts with each word (at most 100, by surname).
    static func query(municipality: UUID, search raw: String?, on db: any Database) async throws -> Model {
        let q = String((raw ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        var select = db.sql.select().column(SQLColumn("id", table: "certificates")).from("certificates")
            .join("children", on: SQLColumn("child_id", table: "certificates"), .equal, SQLColumn("id", table: "children"))
            .where(SQLColumn("municipality_id", table: "certificates"), .equal, SQLBind(municipality))
        if q.isEmpty {
            select = select.where(SQLColumn("status", table: "certificates"), .equal, SQLBind(CertificateStatus.pending.rawValue))
        } else if let digits = Identifiers.normalized(q), digits.count == 10 || digits.count == 11 {
            select = select.where { w in
                w.where(SQLColumn("number", table: "certificates"), .equal, SQLBind(digits)).orWhere(SQLColumn("snils", table: "children"), .equal, SQLBind(digits))
            }
        } else {
            let words = q.split(separator: " ").prefix(3).map { String($0.filter { $0 != "%" && $0 != "_" && $0 != "\\" }) }.filter { !$0.isEmpty }
            for w in words {
                let pattern = w.prefix(1).uppercased() + w.dropFirst().lowercased() + "%"
                select = select.where { g in
                    g.where(SQLColumn("surname", table: "children"), .like, SQLBind(pattern)).orWhere(SQLColumn("name", table: "children"), .like, SQLBind(pattern))
                }
            }
        }
        let ids = try await select.orderBy(SQLColumn("created_at", table: "certificates")).limit(100).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        var rows: [(CertificateModel, ChildModel)] = []
        if !ids.isEmpty {
            let certs = try await CertificateModel.query(on: db).filter(\.$id ~~ ids).all()
            let children = Dictionary(uniqueKeysWithValues: try await ChildModel.query(on: db).filter(\.$id ~~ certs.map(\.childID)).all().map { ($0.id!, $0) })
            rows = certs.compactMap { c in children[c.childID].map { (c, $0) } }.sorted { $0.1.surname < $1.1.surname }
        }
        return Model(search: q, rows: rows, municipality: try await MunicipalityModel.find(municipality, on: db)?.name ?? "")
    }
}
