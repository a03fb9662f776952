import Domain
import Fluent
import Vapor

extension ProviderRegisterPage {
    /// Every municipality, by region (Кузбасс first) and name.
    static func query(on db: any Database) async throws -> Model {
        let all = try await MunicipalityModel.query(on: db).sort(\.$regionCode, .descending).sort(\.$name).all()
        return Model(municipalities: try all.map { m in
            (try m.requireID(), "\(m.name) (\(ReferenceData.region(code: m.regionCode)?.name ?? m.regionCode))")
        })
    }
}
