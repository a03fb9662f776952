import Domain
import Fluent
import SQLKit
import Vapor

/// Read queries over the registries for the cabinets: names and counts, always within a scope.
struct Directory: Sendable {
    let db: any Database

    func municipality(_ id: UUID?) async throws -> MunicipalityModel? {
        guard let id else { return nil }
        return try await MunicipalityModel.find(id, on: db)
    }

    func municipalities(region: String) async throws -> [MunicipalityModel] {
        try await MunicipalityModel.query(on: db).filter(\.$regionCode == region).sort(\.$code).all()
    }

    func municipalityID(region: String, code: String) async throws -> UUID? {
        try await MunicipalityModel.query(on: db).filter(\.$regionCode == region).filter(\.$code == code).first()?.id
    }

    /// Count of rows of `table` per municipality in a region.
    func countsByMunicipality(_ table: String, region: String) async throws -> [UUID: Int] {
        let rows = try await db.sql.select()
            .column("municipality_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .from(table).where("region_code", .equal, region).groupBy("municipality_id").all()
        var out: [UUID: Int] = [:]
        for r in rows {
            out[try r.decode(column: "municipality_id", as: UUID.self)] = try r.decode(column: "n", as: Int.self)
        }
        return out
    }

    func count(_ table: String, region: String, municipality: UUID? = nil, role: Role? = nil) async throws -> Int {
        var q = db.sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(table)
            .where("region_code", .equal, region)
        if let municipality { q = q.where("municipality_id", .equal, municipality) }
        if let role { q = q.where("role", .equal, role.rawValue) }
        return try await q.first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

extension Request {
    var directory: Directory { Directory(db: db) }
}
