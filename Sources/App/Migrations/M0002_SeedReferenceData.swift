import Domain
import Fluent
import Foundation

/// Regions, municipalities (with the estimate of children aged 5–17 where the data allows) and the six
/// directions. Stable codes come from `Domain.ReferenceData`.
struct M0002_SeedReferenceData: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            for r in ReferenceData.regions {
                try await RegionModel(code: r.code, name: r.name, timeZone: r.timeZone).create(on: tx)
            }
            for m in ReferenceData.municipalities {
                let row = MunicipalityModel()
                row.regionCode = m.regionCode
                row.code = m.code
                row.name = m.name
                row.kind = m.kind.rawValue
                row.childrenCount = m.childrenEstimate
                row.childrenIsEstimate = m.childrenEstimate != nil
                try await row.create(on: tx)
            }
            for (i, d) in Direction.allCases.enumerated() {
                try await DirectionModel(code: d.rawValue, title: d.title, position: i + 1).create(on: tx)
            }
        }
    }

    func revert(on db: any Database) async throws {
        try await DirectionModel.query(on: db).delete()
        try await MunicipalityModel.query(on: db).delete()
        try await RegionModel.query(on: db).delete()
    }
}
